"use client";

import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, request } from "@/lib/client/api-client";
import type { HistoryEntry, RestoreResult } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";
import { VersionDiff } from "./version-diff";

const PAGE = 50;

export const versionTitle = (e: HistoryEntry) => e.prompt?.trim().split("\n")[0] || e.message || "Checkpoint";
const stats = (e: HistoryEntry) => `${e.files_changed} ${e.files_changed === 1 ? "file" : "files"} · +${e.additions} −${e.deletions}`;

/**
 * Every checkpoint of the project, newest first: the request (or message) that made it, when, and how much it
 * changed. Selecting one shows its changes; "Restore this version" asks once, then brings the files back as a
 * new checkpoint on top. `changes` counts file changes seen on the socket: the list reloads when it moves.
 */
export function HistoryPanel({ projectId, changes, onRestored }: { projectId: string; changes: number; onRestored: () => void }) {
  const [items, setItems] = useState<HistoryEntry[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<HistoryEntry | null>(null);
  const [confirming, setConfirming] = useState<HistoryEntry | null>(null);
  const [restoring, setRestoring] = useState(false);

  const load = useCallback(
    async (limit = PAGE) => {
      try {
        const res = await request<HistoryEntry[]>(`/projects/${projectId}/history`, { query: { limit: Math.min(limit, 200) } });
        setItems(res.data);
        setTotal(typeof res.metadata?.total === "number" ? res.metadata.total : res.data.length);
        setError(null);
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [projectId],
  );

  useEffect(() => {
    // A turn's checkpoint lands shortly after its last file change: one reload after the burst settles.
    const t = setTimeout(() => void load(Math.max(PAGE, items?.length ?? 0)), changes === 0 ? 0 : 1500);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [changes, load]);

  const restore = async (entry: HistoryEntry) => {
    setRestoring(true);
    try {
      await api.post<RestoreResult>(`/projects/${projectId}/restore`, { checkpoint: entry.id });
      setConfirming(null);
      setSelected(null);
      onRestored();
      await load(Math.max(PAGE, items?.length ?? 0));
    } catch (e) {
      setError(errorMessage(e));
      setConfirming(null);
    } finally {
      setRestoring(false);
    }
  };

  const newest = items?.[0]?.id;
  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="history-panel">
      <ErrorBanner message={error} />
      {items === null && !error && <p className="p-3 text-sm text-zinc-500">Loading history…</p>}
      {items?.length === 0 && (
        <p className="p-3 text-sm text-zinc-500" data-testid="history-empty">
          No versions yet. Each chat turn that changes files saves one here; ask the agent for a change to make the first.
        </p>
      )}
      <ul className="min-h-0 flex-1 overflow-auto" aria-label="Versions, newest first">
        {items?.map((e) => (
          <li key={e.id}>
            <button
              type="button"
              data-testid="history-entry"
              aria-label={`${versionTitle(e)}, ${timeAgo(e.created_at)}, ${stats(e)}`}
              onClick={() => setSelected(e)}
              className="block w-full border-b border-zinc-100 px-3 py-2 text-left text-xs hover:bg-zinc-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:hover:bg-zinc-900"
            >
              <span className="line-clamp-2 font-medium text-zinc-800 dark:text-zinc-100">{versionTitle(e)}</span>
              <span className="mt-0.5 flex gap-2 text-zinc-500">
                <time dateTime={e.created_at} title={new Date(e.created_at).toLocaleString()}>
                  {timeAgo(e.created_at)}
                </time>
                <span>{stats(e)}</span>
                {e.id === newest && <span className="text-emerald-600 dark:text-emerald-400">current</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {items && items.length < total && (
        <Button size="sm" variant="ghost" onClick={() => void load(items.length + PAGE)}>
          Show older versions
        </Button>
      )}
      <Dialog
        open={selected !== null && confirming === null}
        onClose={() => setSelected(null)}
        title={selected ? versionTitle(selected) : "Version"}
        testId="history-dialog"
        wide
      >
        {selected && (
          <>
            <p className="text-xs text-zinc-500">
              {new Date(selected.created_at).toLocaleString()} · {stats(selected)} · {selected.short_id}
            </p>
            {selected.parent ? (
              <VersionDiff projectId={projectId} from={selected.parent} to={selected.id} />
            ) : (
              <p className="text-sm text-zinc-500">The first version of the project: every file was added.</p>
            )}
            <div className="flex justify-end gap-2">
              <Button onClick={() => setSelected(null)}>Close</Button>
              <Button
                variant="primary"
                disabled={selected.id === newest}
                title={selected.id === newest ? "This is the current version" : undefined}
                onClick={() => setConfirming(selected)}
              >
                Restore this version
              </Button>
            </div>
          </>
        )}
      </Dialog>
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} title="Restore this version?" testId="restore-confirm">
        <p className="text-sm">
          The files go back to how they were in “{confirming ? versionTitle(confirming) : ""}”. The current files are kept as a version first, and the restore
          is a new version on top, so nothing is lost.
        </p>
        <div className="flex justify-end gap-2">
          <Button onClick={() => setConfirming(null)} disabled={restoring}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => confirming && void restore(confirming)} disabled={restoring}>
            {restoring ? "Restoring…" : "Restore"}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
