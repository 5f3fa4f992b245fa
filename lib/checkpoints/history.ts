import { getDb } from "@/prisma-free-db/client";
import { turnsForCheckpoints } from "@/prisma-free-db/queries/conversations";
import { git } from "./git";
import { listCheckpoints, type Checkpoint } from "./service";

/** Paths listed per entry; `files_changed` still counts them all. */
export const MAX_LISTED_PATHS = 50;

export interface HistoryEntry extends Checkpoint {
  files_changed: number;
  paths: string[];
  additions: number;
  deletions: number;
  /** The chat turn that made this checkpoint (null for manual, template and restore checkpoints). */
  prompt: string | null;
  session_id: string | null;
  message_id: string | null;
}

interface Stat {
  files: number;
  paths: string[];
  additions: number;
  deletions: number;
}

/** Per checkpoint of the page, what changed against its parent: one `git log --numstat` over the same range. */
async function pageStats(projectId: string, { limit, offset }: { limit: number; offset: number }): Promise<Map<string, Stat>> {
  const { stdout } = await git(projectId, [
    "log",
    `--skip=${offset}`,
    `--max-count=${limit}`,
    "--root",
    "--no-renames",
    "--numstat",
    "-z",
    "--format=%x1e%H",
    "HEAD",
  ]);
  const stats = new Map<string, Stat>();
  for (const record of stdout.split("\x1e").filter(Boolean)) {
    // With -z: "<sha>\0\n" then one "added\tdeleted\tpath\0" per file (binary files: "-\t-\tpath").
    const [sha = "", ...entries] = record.split("\0");
    const stat: Stat = { files: 0, paths: [], additions: 0, deletions: 0 };
    for (const entry of entries) {
      const [added, deleted, ...name] = entry.replace(/^\n/, "").split("\t");
      if (added === undefined || deleted === undefined || name.length === 0) continue;
      stat.files++;
      if (stat.paths.length < MAX_LISTED_PATHS) stat.paths.push(name.join("\t"));
      stat.additions += Number(added) || 0;
      stat.deletions += Number(deleted) || 0;
    }
    stats.set(sha.trim(), stat);
  }
  return stats;
}

/** A page of checkpoints, newest first, each with its change counts and the chat turn that made it. */
export async function listHistory(projectId: string, page: { limit: number; offset: number }): Promise<{ items: HistoryEntry[]; total: number }> {
  const { items, total } = await listCheckpoints(projectId, page);
  if (items.length === 0) return { items: [], total };
  const [stats, turns] = await Promise.all([
    pageStats(projectId, page),
    getDb().then((db) => turnsForCheckpoints(db, { projectId, checkpoints: items.map((c) => c.id) })),
  ]);
  const turnOf = new Map(turns.map((t) => [t.checkpoint, t]));
  return {
    total,
    items: items.map((c) => {
      const s = stats.get(c.id) ?? { files: 0, paths: [], additions: 0, deletions: 0 };
      const t = turnOf.get(c.id);
      return {
        ...c,
        files_changed: s.files,
        paths: s.paths,
        additions: s.additions,
        deletions: s.deletions,
        prompt: t?.prompt ?? null,
        session_id: t?.session_id ?? null,
        message_id: t?.message_id ?? null,
      };
    }),
  };
}
