"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { CopyLinkButton } from "./copy-link-button";
import { DeploymentList } from "./deployment-list";
import { DeployStateBadge } from "./ship-badges";
import { openUrl, stableOpenUrl, useDeployments } from "./use-deployments";

/** Preview deployments served by Slipway: publish, watch the build, share the link, roll back. */
export function PublishSection({ projectId }: { projectId: string }) {
  const deployments = useDeployments(projectId);
  const [visibility, setVisibility] = useState<"private" | "public">("private");
  const [promote, setPromote] = useState(true);
  const { live, items } = deployments;
  const liveItem = live ? items?.find((d) => d.id === live.id) : undefined;
  const stable = items?.find((d) => d.promoted);
  const building = live !== null && live.state !== "ready" && live.state !== "failed";

  const logRef = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [live?.log]);

  return (
    <div className="flex flex-col gap-3" data-testid="publish-section">
      <form
        className="flex flex-wrap items-center gap-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          void deployments.publish(visibility, promote);
        }}
      >
        <label className="flex items-center gap-1">
          <span className="text-zinc-600 dark:text-zinc-400">Visibility</span>
          <select
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as "private" | "public")}
            data-testid="publish-visibility"
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          >
            <option value="private">Private (only you)</option>
            <option value="public">Public link</option>
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={promote} onChange={(e) => setPromote(e.target.checked)} data-testid="publish-promote" />
          <span>Make it the stable version</span>
        </label>
        <span className="flex-1" />
        <Button type="submit" variant="primary" disabled={deployments.busy !== null || building} data-testid="publish">
          {deployments.busy === "publish" ? "Publishing…" : building ? "Building…" : "Publish"}
        </Button>
      </form>
      <ErrorBanner message={deployments.error} testId="publish-error">
        <Button size="sm" variant="ghost" onClick={deployments.dismissError}>
          Dismiss
        </Button>
      </ErrorBanner>

      {live && (
        <div
          className="flex flex-col gap-2 rounded-md border border-zinc-200 p-2 dark:border-zinc-800"
          data-testid="live-deployment"
          data-id={live.id}
          data-state={live.state}
        >
          <div className="flex items-center gap-2 text-sm">
            <span className="font-medium whitespace-nowrap">Latest build</span>
            <DeployStateBadge state={live.state} testId="live-state" />
            <span className="flex-1" />
            {live.state === "ready" && liveItem && (
              <>
                <a
                  href={openUrl(liveItem)}
                  target="_blank"
                  rel="noreferrer"
                  className="truncate text-xs text-indigo-600 hover:underline dark:text-indigo-400"
                  data-testid="live-url"
                >
                  {liveItem.url}
                </a>
                <CopyLinkButton url={liveItem.url} testId="live-copy" />
              </>
            )}
          </div>
          {live.error && <p className="text-xs text-red-700 dark:text-red-300">{live.error}</p>}
          <pre
            ref={logRef}
            className="max-h-40 overflow-auto rounded bg-zinc-950 p-2 font-mono text-[11px] leading-4 whitespace-pre-wrap text-zinc-100"
            data-testid="build-log"
          >
            {live.log || (building ? "Waiting for the build to start…" : "")}
          </pre>
        </div>
      )}

      {stable && (
        <p className="flex items-center gap-2 text-sm" data-testid="stable-url">
          <span className="text-zinc-600 dark:text-zinc-400">Stable URL</span>
          <a
            href={stableOpenUrl(stable)}
            target="_blank"
            rel="noreferrer"
            className="truncate text-indigo-600 hover:underline dark:text-indigo-400"
            data-testid="stable-link"
          >
            {stable.stable_url}
          </a>
          <CopyLinkButton url={stable.stable_url} testId="stable-copy" />
        </p>
      )}

      {items ? <DeploymentList items={items} actions={deployments} /> : <p className="text-sm text-zinc-500">Loading deployments…</p>}
    </div>
  );
}
