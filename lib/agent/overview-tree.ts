import fs from "node:fs";
import { at, openDirAt, openRoot } from "@/lib/files/anchored-fs";
import { IGNORED_DIRS, TEMP_PREFIX } from "@/lib/files/project-dir";

/**
 * A bounded, breadth-first look at a project's tree for the agent's overview: shallow folders first, so a huge
 * tree still shows its top levels. Folders are opened one at a time relative to their parent's descriptor with
 * O_NOFOLLOW (lib/files/anchored-fs.ts): no link is followed, so nothing outside the project is ever listed, and
 * only names are read (readdir's d_type, no lstat and no file is opened, so FIFOs and devices cost nothing).
 */
export interface OverviewDir {
  /** Sub-folders and files, folders first, names sorted; at most `keep` of them (see `total`). */
  dirs: Array<{ name: string; dir: OverviewDir | null }>;
  files: string[];
  /** Entries the folder holds (ignored folders and Slipway's temp files left out). */
  total: number;
}

export interface OverviewWalkLimits {
  /** Folder depth listed below the root (the root is depth 0). */
  maxDepth: number;
  /** Folders opened in all. */
  maxDirs: number;
  /** Names kept per folder (the rest are counted only). */
  keep: number;
}

const closeQuietly = (fd: number) => new Promise<void>((resolve) => fs.close(fd, () => resolve()));
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function readDir(fd: number, keep: number): Promise<{ node: OverviewDir; subdirs: string[] }> {
  let dirents: fs.Dirent[];
  try {
    dirents = await fs.promises.readdir(at(fd), { withFileTypes: true });
  } catch {
    return { node: { dirs: [], files: [], total: 0 }, subdirs: [] };
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const d of dirents) {
    if (d.name.startsWith(TEMP_PREFIX)) continue;
    if (d.isDirectory()) {
      if (!IGNORED_DIRS.has(d.name)) dirs.push(d.name);
    } else files.push(d.isSymbolicLink() ? `${d.name} (symlink)` : d.name);
  }
  dirs.sort(byName);
  files.sort(byName);
  const keptDirs = dirs.slice(0, keep);
  const node: OverviewDir = {
    dirs: keptDirs.map((name) => ({ name, dir: null })),
    files: files.slice(0, Math.max(0, keep - keptDirs.length)),
    total: dirs.length + files.length,
  };
  return { node, subdirs: keptDirs };
}

/** The tree under `root` (a folder Slipway owns), within `limits`. */
export async function walkOverviewTree(root: string, limits: OverviewWalkLimits): Promise<OverviewDir> {
  const rootFd = await openRoot(root);
  let opened = 1;
  // Every queued folder is already open (its parent's descriptor may be closed by the time it is read).
  const queue: Array<{ fd: number; depth: number; slot: { dir: OverviewDir | null } | null }> = [{ fd: rootFd, depth: 0, slot: null }];
  let tree: OverviewDir | null = null;
  try {
    while (queue.length > 0) {
      const { fd, depth, slot } = queue.shift()!;
      let node: OverviewDir;
      let subdirs: string[];
      try {
        ({ node, subdirs } = await readDir(fd, limits.keep));
        if (depth < limits.maxDepth) {
          for (let i = 0; i < subdirs.length && opened < limits.maxDirs; i++) {
            let sub: number;
            try {
              sub = await openDirAt(fd, subdirs[i]!);
            } catch {
              continue; // vanished or swapped for a link since the readdir
            }
            opened++;
            queue.push({ fd: sub, depth: depth + 1, slot: node.dirs[i]! });
          }
        }
      } finally {
        await closeQuietly(fd);
      }
      if (slot) slot.dir = node;
      else tree = node;
    }
  } finally {
    await Promise.all(queue.map((q) => closeQuietly(q.fd)));
  }
  return tree!;
}

/** (levels, names per folder at the top level) from the most detailed listing to the least; deeper levels get fewer. */
const DETAIL = [
  [6, 40],
  [5, 30],
  [4, 24],
  [3, 20],
  [3, 12],
  [2, 12],
  [2, 8],
  [1, 8],
  [1, 4],
] as const;

/**
 * The tree as indented lines within `maxChars`: the most detailed listing that fits (each level lists half as many
 * names per folder as the one above it, at least 3), with "… N more" where entries are left out.
 */
export function renderOverviewTree(tree: OverviewDir, maxChars: number): string {
  let text = "";
  for (const [depth, width] of DETAIL) {
    text = renderAt(tree, depth, width);
    if (text.length <= maxChars) return text;
  }
  return `${text.slice(0, Math.max(0, maxChars - 2))}\n…`;
}

function renderAt(tree: OverviewDir, maxDepth: number, width: number): string {
  const lines: string[] = [];
  const visit = (node: OverviewDir, indent: string, depth: number) => {
    const perDir = Math.max(3, width >> (depth - 1));
    let shown = 0;
    for (const { name, dir } of node.dirs) {
      if (shown >= perDir) break;
      shown++;
      if (dir && depth < maxDepth) {
        lines.push(`${indent}${name}/`);
        visit(dir, `${indent}  `, depth + 1);
      } else lines.push(`${indent}${name}/${dir?.total || !dir ? " …" : ""}`);
    }
    for (const name of node.files) {
      if (shown >= perDir) break;
      shown++;
      lines.push(`${indent}${name}`);
    }
    if (node.total > shown) lines.push(`${indent}… ${node.total - shown} more`);
  };
  visit(tree, "", 1);
  return lines.join("\n");
}
