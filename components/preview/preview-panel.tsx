"use client";

import { useCallback, useEffect, useState } from "react";
import type { ContainerInfo, PreviewError } from "@/lib/client/api-types";
import { containerApi } from "@/lib/client/container-api";
import { Button } from "../ui/button";
import { StatusBadge } from "../ui/status-badge";
import { devices, type DeviceId } from "./device-widths";
import { previewErrorsPrompt } from "./error-prompt";
import { PreviewErrors } from "./preview-errors";

/**
 * The live preview: an iframe on the project's preview host with an address bar, reload, open in a new
 * tab and device widths. Every load goes through the container's short-lived preview sign-in URL (a fresh
 * one is fetched for each reload), which sets the private preview's cookie and redirects to the path.
 */
export function PreviewPanel({
  projectId,
  container,
  refresh,
  changes,
  onStart,
  onFixWithAi,
  errors,
  onClearErrors,
  onFixErrors,
}: {
  projectId: string;
  container: ContainerInfo | null;
  refresh: () => Promise<void>;
  /** Increases on every file change: the preview reloads once they settle. */
  changes: number;
  onStart: () => void;
  onFixWithAi: (error: string) => void;
  /** Browser runtime errors the preview's pages reported. */
  errors: PreviewError[];
  onClearErrors: () => void;
  /** Sends a prompt (about the preview's errors) as the next chat message. */
  onFixErrors: (prompt: string) => void;
}) {
  const [device, setDevice] = useState<DeviceId>("desktop");
  const [path, setPath] = useState("/");
  const [address, setAddress] = useState("/");
  const [frameKey, setFrameKey] = useState(0);
  const [logTail, setLogTail] = useState("");
  const width = devices.find((d) => d.id === device)?.width ?? null;
  const origin = container?.preview_url.replace(/\/$/, "") ?? "";
  const state = container?.state;
  const crashed = state === "crashed";

  const reload = useCallback(() => refresh().then(() => setFrameKey((k) => k + 1)), [refresh]);

  useEffect(() => {
    if (!changes) return;
    const t = setTimeout(() => void reload(), 300);
    return () => clearTimeout(t);
  }, [changes, reload]);

  useEffect(() => {
    if (!crashed) return;
    containerApi.logs(projectId, 60).then(setLogTail, () => setLogTail(""));
  }, [crashed, projectId]);

  const src = state === "ready" && container ? `${container.preview_auth_url}&next=${encodeURIComponent(path)}` : null;

  return (
    <section aria-label="Preview" className="flex h-full min-h-0 flex-col" data-testid="preview-panel">
      <div className="flex shrink-0 items-center gap-1 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
        <StatusBadge state={state} />
        <Button size="sm" variant="ghost" onClick={() => void reload()} aria-label="Reload preview" data-testid="preview-reload" disabled={!src}>
          ⟳
        </Button>
        <form
          className="min-w-0 flex-1"
          onSubmit={(e) => {
            e.preventDefault();
            setPath(address.startsWith("/") ? address : `/${address}`);
            void reload();
          }}
        >
          <input
            aria-label="Preview address"
            data-testid="preview-address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            className="w-full rounded border border-zinc-300 bg-white px-2 py-0.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          />
        </form>
        <select
          aria-label="Device width"
          value={device}
          onChange={(e) => setDevice(e.target.value as DeviceId)}
          className="rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
          data-testid="device-width"
        >
          {devices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
        <PreviewErrors errors={errors} onClear={onClearErrors} onFix={() => void previewErrorsPrompt(projectId, errors).then(onFixErrors)} />
        {src && (
          <a
            href={src}
            target="_blank"
            rel="noreferrer"
            className="rounded px-1.5 py-0.5 text-xs hover:bg-zinc-100 dark:hover:bg-zinc-800"
            aria-label="Open preview in a new tab"
            title={`${origin}${path}`}
          >
            ↗
          </a>
        )}
      </div>
      <div className="relative min-h-0 flex-1 overflow-auto bg-zinc-100 dark:bg-zinc-900">
        {src && (
          <iframe
            key={frameKey}
            src={src}
            title="Preview"
            data-testid="preview-frame"
            className="mx-auto block h-full border-0 bg-white"
            style={{ width: width ?? "100%" }}
            sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-modals"
          />
        )}
        {!crashed && !src && (
          <div className="flex h-full flex-col items-center justify-center gap-2 text-sm text-zinc-500" data-testid="preview-placeholder">
            {state === "starting" ? "Starting the dev server…" : state === "stopped" ? "The project's container is stopped." : "Connecting to the preview…"}
            {state === "stopped" && (
              <Button size="sm" variant="primary" onClick={onStart}>
                Start
              </Button>
            )}
          </div>
        )}
        {crashed && (
          <div className="flex h-full flex-col gap-2 p-3 text-sm" data-testid="preview-crashed" role="alert">
            <p className="font-medium text-red-700 dark:text-red-400">
              The dev server crashed{container?.exit_code != null ? ` (exit code ${container.exit_code})` : ""}
              {container?.oom_killed ? ": out of memory" : ""}.
            </p>
            {container?.last_error && <p className="text-xs whitespace-pre-wrap">{container.last_error.split("\n")[0]}</p>}
            <pre className="min-h-0 flex-1 overflow-auto rounded bg-zinc-900 p-2 font-mono text-xs text-zinc-100">
              {logTail || container?.last_error || "(no output)"}
            </pre>
            <div className="flex gap-2">
              <Button
                variant="primary"
                size="sm"
                onClick={() => onFixWithAi(`${container?.last_error ?? "The dev server crashed."}\n\n${logTail.split("\n").slice(-40).join("\n")}`)}
                data-testid="fix-with-ai"
              >
                Fix with AI
              </Button>
              <Button size="sm" onClick={onStart}>
                Restart
              </Button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
