import type { Owner } from "./anchored-fs";

/**
 * Who owns a project's files: the uid:gid its container runs as. When Slipway runs as root, a dedicated
 * unprivileged id (1000, `node` in the official images), and every file or folder Slipway creates in a
 * project is created with that owner (fchown on the new descriptor), so nothing has to be handed over
 * later; otherwise Slipway's own ids, which own the project directories anyway.
 */
export function projectFilesOwner(): Owner {
  const uid = process.getuid?.() ?? 1000;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? uid };
  return { uid: 1000, gid: 1000 };
}
