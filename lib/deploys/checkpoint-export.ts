import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { git } from "@/lib/checkpoints/git";
import { createCheckpoint } from "@/lib/checkpoints/service";

/**
 * Checkpoints unsaved edits (so a deploy ships what the user sees) and returns the project's newest
 * checkpoint sha.
 */
export async function currentCheckpoint(projectId: string, reason: string): Promise<string> {
  await createCheckpoint(projectId, `Before ${reason}: unsaved changes`);
  const { stdout } = await git(projectId, ["rev-parse", "--verify", "HEAD^{commit}"]);
  return stdout.trim();
}

/**
 * Writes the files of checkpoint `sha` into `dest` (through a throwaway index, so the project's own
 * index and work tree are untouched) and returns the regular files' relative paths. Symlinks are
 * removed: a project could otherwise point one at a host file and have it uploaded or served.
 */
export async function exportCheckpoint(projectId: string, sha: string, dest: string): Promise<string[]> {
  fs.mkdirSync(dest, { recursive: true });
  const indexFile = path.join(os.tmpdir(), `slipway-export-${randomBytes(6).toString("hex")}`);
  try {
    await git(projectId, ["read-tree", sha], { indexFile });
    await git(projectId, ["checkout-index", "--all", "--force", `--prefix=${dest.replace(/\/?$/, "/")}`], { indexFile });
  } finally {
    fs.rmSync(indexFile, { force: true });
  }
  const files: string[] = [];
  for (const entry of fs.readdirSync(dest, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) fs.rmSync(full, { force: true });
    else if (entry.isFile()) files.push(path.relative(dest, full).split(path.sep).join("/"));
  }
  return files.sort();
}
