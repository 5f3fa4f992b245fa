import fs from "node:fs";
import { at, isMissing, visitTree, withDir } from "@/lib/files/anchored-fs";

const inNodeModules = (rel: string) => rel.split("/").slice(0, -1).includes("node_modules");

/**
 * Gives the container user ownership of what it must be able to write in a tree: everything not yet
 * theirs, and inside `node_modules` only the folders. Files there are hard links shared with the template
 * cache (see lib/templates/cache.ts): they stay root-owned and readable, and the user can still
 * replace them (npm does), because it owns their folders. Files Slipway writes into a project are created
 * with this owner already (lib/files/project-owner.ts), so this runs once per container start, for
 * dependency folders and trees from older versions.
 *
 * The walk holds each folder open and changes owners with lchown on `/proc/self/fd/N/name`, which never
 * follows a link: a folder the container swaps for a symlink mid-walk is skipped, not followed, and
 * entries that vanish are fine. Returns how many entries changed.
 */
export async function chownTree(root: string, uid: number, gid: number, opts: { skipNodeModules?: boolean } = {}): Promise<number> {
  if (process.getuid?.() !== 0) return 0; // only root can (and needs to) hand files to another uid
  let changed = 0;
  const fix = async (file: string, stat: fs.Stats) => {
    if (stat.uid === uid && stat.gid === gid) return;
    try {
      await fs.promises.lchown(file, uid, gid);
      changed++;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  };
  await withDir(root, "", async (rootFd) => {
    const rootStat = await fs.promises.stat(at(rootFd));
    if (rootStat.uid !== uid || rootStat.gid !== gid) {
      await new Promise<void>((resolve, reject) => fs.fchown(rootFd, uid, gid, (e) => (e ? reject(e) : resolve())));
      changed++;
    }
    await visitTree(
      rootFd,
      "",
      (e) => fix(at(e.dirFd, e.name), e.stat),
      (e) => !(opts.skipNodeModules && e.name === "node_modules"),
      (dirent, rel) => dirent.isDirectory() || !inNodeModules(rel),
    );
  });
  return changed;
}
