"use client";

import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { Integration, VercelDeployment } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { ConnectInSettings } from "./connect-in-settings";
import { DeployStateBadge, shortSha, withScheme } from "./ship-badges";

const settled = (s: VercelDeployment["state"]) => s === "READY" || s === "ERROR" || s === "CANCELED";

/** Deploy the current checkpoint to Vercel and list this project's Vercel deployments. */
export function VercelSection({ projectId, integration }: { projectId: string; integration: Integration | undefined }) {
  const base = `/projects/${projectId}/vercel/deployments`;
  const [items, setItems] = useState<VercelDeployment[] | null>(null);
  const [latest, setLatest] = useState<VercelDeployment | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const connected = integration?.status === "connected";

  const load = useCallback(() => api.get<VercelDeployment[]>(base).then(setItems, (e: unknown) => setError(errorMessage(e))), [base]);
  useEffect(() => {
    if (connected) void load();
  }, [connected, load]);

  const refresh = async (id: string) => {
    try {
      const list = await api.get<VercelDeployment[]>(base);
      setItems(list);
      setLatest((l) => list.find((d) => d.id === id) ?? l);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (!connected) return <ConnectInSettings label="Vercel" integration={integration} />;

  const deploy = async () => {
    setBusy(true);
    setError(null);
    try {
      setLatest(await api.post<VercelDeployment>(base));
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="vercel-section">
      <div className="flex items-center gap-2">
        <p className="flex-1 text-zinc-600 dark:text-zinc-400">
          Connected as {integration.account_login}. Uploads the current checkpoint and waits for Vercel.
        </p>
        <Button variant="primary" disabled={busy} onClick={() => void deploy()} data-testid="vercel-deploy">
          {busy ? "Deploying…" : "Deploy to Vercel"}
        </Button>
      </div>
      <ErrorBanner message={error} testId="vercel-error" />
      {latest && (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-zinc-200 p-2 dark:border-zinc-800" data-testid="vercel-latest">
          <DeployStateBadge state={latest.state} testId="vercel-state" />
          {latest.state === "READY" && (
            <a
              href={withScheme(latest.url)}
              target="_blank"
              rel="noreferrer"
              className="truncate text-indigo-600 hover:underline dark:text-indigo-400"
              data-testid="vercel-url"
            >
              {withScheme(latest.url)}
            </a>
          )}
          {!settled(latest.state) && (
            <>
              <span className="text-zinc-500">Still building on Vercel.</span>
              <Button size="sm" variant="ghost" onClick={() => void refresh(latest.id)}>
                Refresh
              </Button>
            </>
          )}
          {latest.error && <p className="w-full text-xs text-red-700 dark:text-red-300">{latest.error}</p>}
        </div>
      )}
      {items && items.length > 0 && (
        <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="vercel-list">
          {items.map((d) => (
            <li key={d.id} className="flex items-center gap-2 px-3 py-1.5" data-testid="vercel-row">
              <DeployStateBadge state={d.state} />
              <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{shortSha(d.checkpoint_sha)}</span>
              <span className="text-xs text-zinc-500">{timeAgo(d.created_at)}</span>
              <span className="flex-1" />
              <a href={withScheme(d.url)} target="_blank" rel="noreferrer" className="truncate text-xs text-indigo-600 hover:underline dark:text-indigo-400">
                {d.url}
              </a>
            </li>
          ))}
        </ul>
      )}
      {items && items.length === 0 && !latest && <p className="text-zinc-500">No Vercel deployments yet.</p>}
    </div>
  );
}
