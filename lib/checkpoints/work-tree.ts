import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { at, readNamed, removeEntryAt, visitTree, withAnchor, withDir, writeAt } from "@/lib/files/anchored-fs";
import { IGNORED_DIRS, TEMP_PREFIX, projectDir } from "@/lib/files/project-dir";
import { projectFilesOwner } from "@/lib/files/project-owner";

/**
 * git never touches a project's folder: it would read and write it by path, and the project's container
 * can swap any file or folder there for a symlink between two of git's system calls (a checkpoint of a
 * host file, a restore written through a link). Each project has a private copy of its files that only
 * Slipway writes, `<DATABASE_DIR>/checkpoints/<project id>.tree`, used as git's work tree. Before git
 * reads it, `syncFromProject` brings it up to date through fd-anchored reads of the project (changed files
 * only, by size and mtime); after git changed it (restore, pull), `applyToProject` writes the changed paths
 * into the project through fd-anchored writes and deletes.
 */

/** Largest file a checkpoint keeps (bigger ones are left out of checkpoints). */
const MAX_CHECKPOINT_FILE_BYTES = 256 * 1024 * 1024;
const SKIP_NAMES = new Set([...IGNORED_DIRS, ".DS_Store"]);

export const workTreeDir = (projectId: string) => path.join(env().DATABASE_DIR, "checkpoints", `${projectId.toLowerCase()}.tree`);

const skipped = (name: string) => SKIP_NAMES.has(name) || name.startsWith(TEMP_PREFIX);

function removeCopy(file: string) {
  fs.rmSync(file, { recursive: true, force: true });
}

/**
 * A copy is up to date when it has its file's size, executable bits and modification time. The copy's time is set
 * from the file's as a number of seconds, which carries it to within a microsecond (a Date drops everything below
 * the millisecond: no copy would ever match its file, every checkpoint would rewrite every file and git would hash
 * them all again). File times come from a coarse clock, so a file changed again within the tick of its copy's
 * writing could keep its time and size: a copy written in the same tick as its file's time is not trusted (as git
 * treats "racily clean" entries).
 */
const MTIME_TOLERANCE_MS = 0.001;
const upToDate = (copy: fs.Stats, file: fs.Stats) =>
  copy.isFile() &&
  copy.size === file.size &&
  (copy.mode & 0o111) === (file.mode & 0o111) &&
  Math.abs(copy.mtimeMs - file.mtimeMs) < MTIME_TOLERANCE_MS &&
  file.mtimeMs < copy.ctimeMs;

/** Brings the private work tree up to date with the project's regular files, folders and symlinks. */
export async function syncFromProject(projectId: string): Promise<void> {
  const tree = workTreeDir(projectId);
  fs.mkdirSync(tree, { recursive: true });
  const seen = new Set<string>();
  await withDir(projectDir(projectId), "", (rootFd) =>
    visitTree(
      rootFd,
      "",
      async (e) => {
        if (skipped(e.name) || e.kind === "special") return;
        const copy = path.join(tree, e.rel);
        const current = fs.lstatSync(copy, { throwIfNoEntry: false });
        if (e.kind === "directory") {
          if (current && !current.isDirectory()) removeCopy(copy);
          if (!current?.isDirectory()) fs.mkdirSync(copy);
        } else if (e.kind === "symlink") {
          const target = await fs.promises.readlink(at(e.dirFd, e.name)).catch(() => null);
          if (target === null) return;
          if (current?.isSymbolicLink() && fs.readlinkSync(copy) === target) return void seen.add(e.rel);
          if (current) removeCopy(copy);
          fs.symlinkSync(target, copy);
        } else {
          if (current && upToDate(current, e.stat)) return void seen.add(e.rel);
          const file = await readNamed(e.dirFd, e.name, e.rel, MAX_CHECKPOINT_FILE_BYTES, () => new Error("too large")).catch(() => null);
          if (!file) return; // vanished, swapped, or too large: not part of this checkpoint
          if (current?.isFile()) fs.unlinkSync(copy);
          else if (current) removeCopy(copy);
          fs.writeFileSync(copy, file.bytes, { mode: file.stat.mode & 0o777 });
          fs.utimesSync(copy, file.stat.atimeMs / 1000, file.stat.mtimeMs / 1000);
        }
        seen.add(e.rel);
      },
      (e) => !skipped(e.name),
    ),
  );
  // What the project no longer has goes from the copy too.
  const prune = (dir: string, rel: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      if (!seen.has(childRel)) removeCopy(path.join(dir, d.name));
      else if (d.isDirectory()) prune(path.join(dir, d.name), childRel);
    }
  };
  prune(tree, "");
}

/** Writes the given paths from the private work tree into the project (deleting those the copy lacks). */
export async function applyToProject(projectId: string, paths: string[]): Promise<void> {
  const tree = workTreeDir(projectId);
  const owner = projectFilesOwner();
  for (const rel of paths) {
    const copy = path.join(tree, rel);
    const stat = fs.lstatSync(copy, { throwIfNoEntry: false });
    await withAnchor(projectDir(projectId), rel, { followFinal: false, createParents: Boolean(stat), owner }, async (anchor) => {
      if (!stat) {
        await removeEntryAt(anchor.dirFd, anchor.name);
      } else if (stat.isSymbolicLink()) {
        await removeEntryAt(anchor.dirFd, anchor.name);
        await fs.promises.symlink(fs.readlinkSync(copy), anchor.path);
      } else if (stat.isFile()) {
        const existing = await anchor.lstat();
        if (existing?.isDirectory()) await removeEntryAt(anchor.dirFd, anchor.name);
        await writeAt(anchor, fs.readFileSync(copy), { owner, existing: existing?.isDirectory() ? null : existing, mode: stat.mode & 0o777 });
      }
    }).catch((error: unknown) => {
      // A parent that is gone when deleting means there is nothing left to delete.
      if (!stat && (error as { code?: string }).code === "not_found") return;
      throw error;
    });
  }
}

export function removeWorkTree(projectId: string): void {
  fs.rmSync(workTreeDir(projectId), { recursive: true, force: true });
}
