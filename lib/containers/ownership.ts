import fs from "node:fs";
import path from "node:path";

/**
 * Gives the container user ownership of everything in the project directory that it does not own yet
 * (files written by Slipway itself, running as root, or copied from a template cache). Only entries with
 * another owner are changed, so repeated calls on an unchanged tree cost one lstat per entry.
 */
export async function chownTree(root: string, uid: number, gid: number, opts: { skip?: (name: string) => boolean } = {}): Promise<number> {
  if (process.getuid?.() !== 0) return 0; // only root can (and needs to) hand files to another uid
  let changed = 0;
  const visit = async (dir: string) => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (opts.skip?.(entry.name)) return;
        const file = path.join(dir, entry.name);
        const stat = await fs.promises.lstat(file);
        if (stat.uid !== uid || stat.gid !== gid) {
          await fs.promises.lchown(file, uid, gid);
          changed++;
        }
        if (entry.isDirectory()) await visit(file);
      }),
    );
  };
  const top = await fs.promises.lstat(root);
  if (top.uid !== uid || top.gid !== gid) {
    await fs.promises.lchown(root, uid, gid);
    changed++;
  }
  await visit(root);
  return changed;
}
