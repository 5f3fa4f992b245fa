"use client";

import Link from "next/link";
import type { Project } from "@/lib/client/api-types";
import { ShipButton } from "../ship/ship-button";
import { Button } from "../ui/button";
import { EnvSettingsButton } from "./env-settings";
import type { useContainer } from "./use-container";

/** Project name, container controls, the zip download, the app's settings and the Ship dialog above the panes. */
export function WorkbenchBar({
  project,
  container,
  downloadHref,
}: {
  project: Project | null;
  container: ReturnType<typeof useContainer>;
  downloadHref: string;
}) {
  const state = container.info?.state;
  return (
    <div className="flex h-9 shrink-0 items-center gap-2 border-b border-zinc-200 px-3 text-sm dark:border-zinc-800">
      <Link href="/" className="text-zinc-500 hover:underline">
        Projects
      </Link>
      <span className="text-zinc-400">/</span>
      <h1 className="font-medium" data-testid="project-name">
        {project?.name ?? "…"}
      </h1>
      {project && <span className="rounded bg-zinc-100 px-1.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{project.template}</span>}
      <span className="flex-1" />
      <Button size="sm" variant="ghost" onClick={() => void container.run("restart")} disabled={state === "starting"}>
        Restart
      </Button>
      <Button size="sm" variant="ghost" onClick={() => void container.run("stop")} disabled={!state || state === "stopped"}>
        Stop
      </Button>
      <a href={downloadHref} className="rounded-md px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800">
        Download zip
      </a>
      {project && <EnvSettingsButton projectId={project.id} onRestart={() => container.run("restart")} />}
      {project && <ShipButton project={project} />}
    </div>
  );
}
