"use client";

import { useState } from "react";
import type { Deployment } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { CopyLinkButton } from "./copy-link-button";
import { DeployStateBadge, Pill, shortSha } from "./ship-badges";
import { openUrl } from "./use-deployments";

interface Actions {
  busy: string | null;
  promote: (id: string) => Promise<void>;
  setVisibility: (id: string, visibility: "private" | "public") => Promise<void>;
  remove: (id: string) => Promise<void>;
}

/** The project's deployments, newest first, with promote/rollback, visibility, copy and an in-app delete confirmation. */
export function DeploymentList({ items, actions }: { items: Deployment[]; actions: Actions }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const promotedAt = items.find((d) => d.promoted)?.created_at;
  if (items.length === 0) return <p className="text-sm text-zinc-500">Nothing published yet.</p>;
  return (
    <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800" data-testid="deployment-list">
      {items.map((d) => {
        const done = d.state === "ready" || d.state === "failed";
        const older = promotedAt !== undefined && d.created_at < promotedAt;
        return (
          <li key={d.id} className="flex flex-col gap-1 px-3 py-2" data-testid="deployment-row" data-id={d.id} data-state={d.state} data-promoted={d.promoted}>
            <div className="flex flex-wrap items-center gap-2">
              <DeployStateBadge state={d.state} />
              <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400" title={d.checkpoint_sha}>
                {shortSha(d.checkpoint_sha)}
              </span>
              <span className="text-xs text-zinc-500" title={d.created_at}>
                {timeAgo(d.created_at)}
              </span>
              {d.promoted && (
                <Pill accent testId="promoted-badge">
                  stable
                </Pill>
              )}
              <Pill>{d.visibility}</Pill>
              <span className="flex-1" />
              {d.state === "ready" && (
                <a
                  href={openUrl(d)}
                  target="_blank"
                  rel="noreferrer"
                  className="truncate text-xs text-indigo-600 hover:underline dark:text-indigo-400"
                  data-testid="deployment-link"
                >
                  Open
                </a>
              )}
            </div>
            {d.state === "failed" && d.error && <p className="text-xs text-red-700 dark:text-red-300">{d.error}</p>}
            <div className="flex flex-wrap items-center gap-1">
              {d.state === "ready" && !d.promoted && (
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={actions.busy !== null}
                  onClick={() => void actions.promote(d.id)}
                  data-testid={older ? "rollback" : "promote"}
                >
                  {older ? "Rollback to this" : "Promote"}
                </Button>
              )}
              <Button
                size="sm"
                variant="ghost"
                disabled={actions.busy !== null}
                onClick={() => void actions.setVisibility(d.id, d.visibility === "private" ? "public" : "private")}
                data-testid="toggle-visibility"
              >
                {d.visibility === "private" ? "Make public" : "Make private"}
              </Button>
              {d.state === "ready" && <CopyLinkButton url={d.url} />}
              <span className="flex-1" />
              {confirming === d.id ? (
                <span className="flex items-center gap-1" data-testid="delete-confirm">
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">{d.promoted ? "Delete? The stable URL stops serving." : "Delete its files?"}</span>
                  <Button
                    size="sm"
                    variant="danger"
                    disabled={actions.busy !== null}
                    onClick={() => {
                      setConfirming(null);
                      void actions.remove(d.id);
                    }}
                    data-testid="delete-confirm-yes"
                  >
                    Delete
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
                    Keep
                  </Button>
                </span>
              ) : (
                <Button size="sm" variant="ghost" disabled={!done || actions.busy !== null} onClick={() => setConfirming(d.id)} data-testid="delete-deployment">
                  Delete
                </Button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
