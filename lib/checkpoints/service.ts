import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ApiError } from "@/lib/errors";
import { announceChange } from "@/lib/files/events";
import { withProjectLock } from "@/lib/files/project-lock";
import { git, gitDir, initRepository, readHead } from "./git";
import { applyToProject, syncFromProject } from "./work-tree";

export interface Checkpoint {
  id: string;
  short_id: string;
  message: string;
  created_at: string;
  parent: string | null;
}

const shaPattern = /^[0-9a-f]{4,40}$/;

/**
 * Resolves a client-given checkpoint id to a full commit sha. Only hex is accepted, so user text can
 * never be read by git as an option or a revision expression; unknown ids are 404.
 */
export async function resolveCheckpoint(projectId: string, id: string): Promise<string> {
  if (!shaPattern.test(id)) throw new ApiError("bad_request", "A checkpoint id is a hexadecimal commit id (4-40 characters)");
  const { stdout, code } = await git(projectId, ["rev-parse", "--quiet", "--verify", "--end-of-options", `${id}^{commit}`], { okCodes: [1, 128] });
  if (code !== 0 || !stdout.trim()) throw new ApiError("not_found", "Checkpoint not found");
  return stdout.trim();
}

/** The newest checkpoint's sha (null before the first). */
export const latestCheckpoint = (projectId: string): string | null => readHead(projectId);

/** Commits the work tree; `sync: false` commits what git itself just wrote there (restore). */
async function commitAll(projectId: string, message: string, { sync = true }: { sync?: boolean } = {}): Promise<string | null> {
  await initRepository(projectId);
  if (sync) await syncFromProject(projectId);
  await git(projectId, ["add", "--all", "--", "."]);
  const parent = readHead(projectId);
  if (parent) {
    const { code } = await git(projectId, ["diff", "--cached", "--quiet", "HEAD"], { okCodes: [1] });
    if (code === 0) return null;
  }
  await git(projectId, ["commit", "--quiet", "--no-verify", "--allow-empty", "-m", message.trim() || "Checkpoint"]);
  return readHead(projectId);
}

/**
 * Records the project's current files as a checkpoint; returns its sha, or null when nothing changed
 * since the last one. (The chat agent calls this after every turn.)
 */
export function createCheckpoint(projectId: string, message: string): Promise<string | null> {
  return withProjectLock(projectId, () => commitAll(projectId, message));
}

/** Newest first. */
export async function listCheckpoints(
  projectId: string,
  { limit, offset }: { limit: number; offset: number },
): Promise<{ items: Checkpoint[]; total: number }> {
  if (!readHead(projectId)) return { items: [], total: 0 };
  const count = await git(projectId, ["rev-list", "--count", "HEAD"]);
  const { stdout } = await git(projectId, ["log", `--skip=${offset}`, `--max-count=${limit}`, "--format=%H%x1f%P%x1f%aI%x1f%B%x1e", "HEAD"]);
  const items = stdout
    .split("\x1e")
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.trim())
    .map((record) => {
      const [id = "", parents = "", date = "", ...body] = record.split("\x1f");
      return {
        id,
        short_id: id.slice(0, 10),
        parent: parents.split(" ")[0] || null,
        created_at: new Date(date).toISOString(),
        message: body.join("\x1f").trim(),
      };
    });
  return { items, total: Number(count.stdout.trim()) };
}

export async function getCheckpoint(projectId: string, sha: string): Promise<Checkpoint> {
  const { stdout } = await git(projectId, ["log", "-1", "--format=%H%x1f%P%x1f%aI%x1f%B", sha]);
  const [id = "", parents = "", date = "", ...body] = stdout.split("\x1f");
  return { id, short_id: id.slice(0, 10), parent: parents.split(" ")[0] || null, created_at: new Date(date).toISOString(), message: body.join("\x1f").trim() };
}

/**
 * Brings the files back to `checkpointId` as a NEW checkpoint on top of history: unsaved changes are
 * first saved as their own checkpoint, then the old tree is checked out and committed. Nothing newer
 * is ever destroyed; restoring is itself undoable by restoring the checkpoint before it.
 */
export function restoreCheckpoint(projectId: string, checkpointId: string): Promise<{ checkpoint: Checkpoint; saved: string | null; restored_from: string }> {
  return withProjectLock(projectId, async () => {
    const target = await resolveCheckpoint(projectId, checkpointId);
    const saved = await commitAll(projectId, "Before restore: unsaved changes");
    const before = readHead(projectId);
    // Index and work tree to the old tree; tracked files absent from it are removed (ignored files stay).
    await git(projectId, ["read-tree", "--reset", "-u", target]);
    const sha = await commitAll(projectId, `Restore checkpoint ${target.slice(0, 10)}`, { sync: false });
    const result = sha ?? before!;
    if (sha && before) {
      const { stdout } = await git(projectId, ["diff", "--name-status", "-z", "--no-renames", before, sha]);
      const parts = stdout.split("\0").filter(Boolean);
      await applyToProject(
        projectId,
        parts.filter((_, i) => i % 2 === 1),
      );
      for (let i = 0; i + 1 < parts.length; i += 2) {
        const status = parts[i]!;
        announceChange(projectId, { path: parts[i + 1]!, change: status === "D" ? "deleted" : status === "A" ? "created" : "modified", source: "api" });
      }
    }
    return { checkpoint: await getCheckpoint(projectId, result), saved, restored_from: target };
  });
}

/**
 * Unified diff from `from` to `to` (both checkpoints), or to the current files when `to` is omitted
 * (new, not yet checkpointed files included, via a throwaway index so the real one is untouched), with `context`
 * lines around each change.
 */
export async function diffCheckpoints(projectId: string, fromId: string, toId?: string, context = 3): Promise<string> {
  const from = await resolveCheckpoint(projectId, fromId);
  const base = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", `--unified=${context}`];
  if (toId) {
    const to = await resolveCheckpoint(projectId, toId);
    return (await git(projectId, [...base, from, to, "--"])).stdout;
  }
  const indexFile = path.join(os.tmpdir(), `slipway-index-${randomBytes(6).toString("hex")}`);
  try {
    const realIndex = path.join(gitDir(projectId), "index");
    if (fs.existsSync(realIndex)) fs.copyFileSync(realIndex, indexFile);
    await withProjectLock(projectId, () => syncFromProject(projectId));
    await git(projectId, ["add", "--all", "--", "."], { indexFile });
    return (await git(projectId, [...base, "--cached", from, "--"], { indexFile })).stdout;
  } finally {
    fs.rmSync(indexFile, { force: true });
  }
}
