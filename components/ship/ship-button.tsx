"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { Integration, Project } from "@/lib/client/api-types";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";
import { GithubSection } from "./github-section";
import { PublishSection } from "./publish-section";
import { VercelSection } from "./vercel-section";

const tabs = [
  { id: "publish", label: "Publish" },
  { id: "github", label: "GitHub" },
  { id: "vercel", label: "Vercel" },
] as const;
type Tab = (typeof tabs)[number]["id"];

/** The workbench's way out: a Ship button opening preview deployments, GitHub and Vercel in one dialog. */
export function ShipButton({ project }: { project: Project }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="primary" onClick={() => setOpen(true)} data-testid="ship-open">
        Ship
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Ship ${project.name}`} testId="ship-dialog">
        <ShipPanel project={project} onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ShipPanel({ project, onClose }: { project: Project; onClose: () => void }) {
  const [tab, setTab] = useState<Tab>("publish");
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<Integration[]>("/integrations").then(setIntegrations, (e: unknown) => setError(errorMessage(e)));
  }, []);
  const integration = (provider: Integration["provider"]) => integrations?.find((i) => i.provider === provider);

  return (
    <div className="flex flex-col gap-3">
      <div role="tablist" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            data-testid={`ship-tab-${t.id}`}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${tab === t.id ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300" : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="max-h-[65vh] overflow-y-auto pr-1">
        {tab === "publish" && <PublishSection projectId={project.id} />}
        {tab !== "publish" && <ErrorBanner message={error} testId="integrations-error" />}
        {tab !== "publish" && !integrations && !error && <p className="text-sm text-zinc-500">Loading…</p>}
        {tab === "github" && integrations && <GithubSection projectId={project.id} defaultName={project.slug} integration={integration("github")} />}
        {tab === "vercel" && integrations && <VercelSection projectId={project.id} integration={integration("vercel")} />}
      </div>
      <div className="flex justify-end">
        <Button onClick={onClose} data-testid="ship-close">
          Close
        </Button>
      </div>
    </div>
  );
}
