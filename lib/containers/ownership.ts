import fs from "node:fs";
import path from "node:path";

/**
 * Gives the container user ownership of what it must be able to write in the project directory:
 * everything Slipway wrote (as root), and inside `node_modules` only the directories. Files there are
 * hard links shared with the template cache (see lib/projects/template-cache.ts): they stay root-owned
 * and readable, and the user can still replace them (npm does), because it owns their folders.
 * Only entries with another owner are changed, so a call on an unchanged tree costs little.
 */
export async function chownTree(root: string, uid: number, gid: number, opts: { skipNodeModules?: boolean } = {}): Promise<number> {
  if (process.getuid?.() !== 0) return 0; // only root can (and needs to) hand files to another uid
  let changed = 0;
  const fix = async (file: string) => {
    const stat = await fs.promises.lstat(file);
    if (stat.uid !== uid || stat.gid !== gid) {
      await fs.promises.lchown(file, uid, gid);
      changed++;
    }
  };
  const visit = async (dir: string, inNodeModules: boolean) => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const file = path.join(dir, entry.name);
        const isNodeModules = entry.name === "node_modules" && entry.isDirectory();
        if (isNodeModules && opts.skipNodeModules) return;
        if (inNodeModules && !entry.isDirectory()) return;
        await fix(file);
        if (entry.isDirectory()) await visit(file, inNodeModules || isNodeModules);
      }),
    );
  };
  await fix(root);
  await visit(root, false);
  return changed;
}
