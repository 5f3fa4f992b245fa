import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { ApiError, accessDenied, notFound } from "@/lib/errors";
import { TEMP_PREFIX } from "./project-dir";

/**
 * File operations inside a project tree that hold at the moment of use, whatever processes in the
 * project's container do to the tree at the same time (they can rename a symlink over any file or
 * folder between two system calls).
 *
 * Every path is walked one component at a time from an open descriptor of the project root, each folder
 * opened with O_NOFOLLOW | O_DIRECTORY relative to its parent's descriptor (through the kernel's
 * `/proc/self/fd/N/name`, which looks `name` up in the directory the descriptor holds, the way openat(2)
 * does; Node has no openat). The kernel therefore never follows a link on Slipway's behalf. Symlinks that
 * stay inside the project are followed here, in user space: their text is read and spliced into the walk,
 * `..` pops a descriptor this walk holds, and an absolute target counts only under `/app` (where the
 * container mounts the project). Anything that would leave the root is refused with 403.
 *
 * The final operation then names one entry in an open folder (`/proc/self/fd/N/name`): open with
 * O_NOFOLLOW | O_NONBLOCK (a FIFO never blocks; a link there fails instead of being followed), rename,
 * unlink, rmdir, mkdir and lchown, none of which follow a final link. Only regular files and folders are
 * read or written; FIFOs, sockets and device nodes are refused with 400.
 */

const C = fs.constants;
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW | C.O_NONBLOCK;
const READ_FLAGS = C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_NOCTTY;
const CREATE_FLAGS = C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW | C.O_NOCTTY;
/** Symlinks followed in one walk before it is refused (the kernel's own limit). */
const MAX_LINK_HOPS = 40;
/** Where the project is mounted inside its container: absolute link targets there point into the project. */
export const CONTAINER_ROOT = "/app";

export interface Owner {
  uid: number;
  gid: number;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;
export const isMissing = (error: unknown) => errno(error) === "ENOENT" || errno(error) === "ENOTDIR";

/** `/proc/self/fd/<fd>` or `/proc/self/fd/<fd>/<name>`: one name looked up in the folder `fd` holds. */
export const at = (fd: number, name?: string) => (name ? `/proc/self/fd/${fd}/${name}` : `/proc/self/fd/${fd}`);

export type EntryKind = "file" | "directory" | "symlink" | "special";

function kindOf(stat: fs.Stats | fs.Dirent): EntryKind {
  if (stat.isFile()) return "file";
  if (stat.isDirectory()) return "directory";
  if (stat.isSymbolicLink()) return "symlink";
  return "special";
}

function specialName(stat: fs.Stats): string {
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device node";
  return "not a regular file";
}

const notRegular = (rel: string, what: string) =>
  new ApiError("bad_request", `${rel} is ${what}; only regular files and folders can be read or written`, { path: rel, reason: "special_file" });

async function closeQuietly(fd: number) {
  await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
}

const openFd = (file: string, flags: number, mode?: number) =>
  new Promise<number>((resolve, reject) => fs.open(file, flags, mode, (error, fd) => (error ? reject(error) : resolve(fd))));

/** An open folder of the walk and its project-relative path ("" for the root). */
interface Frame {
  fd: number;
  rel: string;
}

/**
 * The result of a walk: the folder that holds the final entry (open) and the entry's name in it.
 * `name` is "" when the path is the root itself. Always `release()` it.
 */
export class Anchor {
  constructor(
    private readonly frames: Frame[],
    readonly name: string,
  ) {}

  /** Descriptor of the folder holding the entry. */
  get dirFd(): number {
    return this.frames[this.frames.length - 1]!.fd;
  }

  /** The entry's real project-relative path (links resolved). */
  get rel(): string {
    const dir = this.frames[this.frames.length - 1]!.rel;
    return this.name ? (dir ? `${dir}/${this.name}` : this.name) : dir;
  }

  /** `/proc/self/fd/N/name` of the entry (or of the folder, for the root). */
  get path(): string {
    return at(this.dirFd, this.name || undefined);
  }

  async lstat(): Promise<fs.Stats | null> {
    try {
      return await fs.promises.lstat(this.path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async release(): Promise<void> {
    await Promise.all(this.frames.splice(0).map((f) => closeQuietly(f.fd)));
  }
}

/** Opens the project root (its path is Slipway's own, never container-controlled). 404 when it is gone. */
export async function openRoot(root: string): Promise<number> {
  try {
    return await openFd(root, C.O_RDONLY | C.O_DIRECTORY);
  } catch (error) {
    if (isMissing(error)) throw notFound("Project files");
    throw error;
  }
}

/** Opens folder `name` of the open folder `dirFd` without following a link (ELOOP/ENOTDIR when it is none). */
export async function openDirAt(dirFd: number, name: string): Promise<number> {
  return openFd(at(dirFd, name), DIR_FLAGS);
}

/** Creates folder `name` in `dirFd` (fine when it exists) and opens it without following a link. */
async function ensureDirAt(dirFd: number, name: string, owner?: Owner): Promise<number> {
  let created = true;
  try {
    await fs.promises.mkdir(at(dirFd, name), { mode: 0o755 });
  } catch (error) {
    if (errno(error) !== "EEXIST") throw error;
    created = false;
  }
  const fd = await openDirAt(dirFd, name);
  if (created && owner && process.getuid?.() === 0) await fs.promises.chown(at(fd), owner.uid, owner.gid).catch(() => undefined);
  return fd;
}

export interface WalkOptions {
  /** Follow a final symlink (reads, writes); false acts on the link itself (delete, move, lstat). */
  followFinal: boolean;
  /** Create missing parent folders (writes), owned by `owner` when given. */
  createParents?: boolean;
  owner?: Owner;
}

/**
 * Walks `rel` (already validated by lib/files/paths.ts) from the open root and returns the anchor of its
 * final entry, which need not exist. Missing parents are 404 unless `createParents`; a parent that is a
 * file is 400; a link that leaves the project, dangles mid-path or loops is 403.
 */
export async function walk(root: string, rel: string, opts: WalkOptions): Promise<Anchor> {
  const frames: Frame[] = [{ fd: await openRoot(root), rel: "" }];
  const top = () => frames[frames.length - 1]!;
  const fail = async (error: unknown): Promise<never> => {
    await Promise.all(frames.map((f) => closeQuietly(f.fd)));
    throw error;
  };
  const queue = rel === "" ? [] : rel.split("/");
  let hops = 0;
  const expandLink = async (name: string) => {
    if (++hops > MAX_LINK_HOPS) return fail(accessDenied());
    let target: string;
    try {
      target = await fs.promises.readlink(at(top().fd, name));
    } catch {
      return fail(accessDenied()); // changed under us: refuse rather than guess
    }
    if (target.startsWith("/")) {
      if (target !== CONTAINER_ROOT && !target.startsWith(`${CONTAINER_ROOT}/`)) return fail(accessDenied());
      while (frames.length > 1) await closeQuietly(frames.pop()!.fd);
      target = target.slice(CONTAINER_ROOT.length);
    }
    queue.unshift(...target.split("/"));
  };

  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === "" || name === ".") continue;
    if (name === "..") {
      if (frames.length === 1) return fail(accessDenied());
      await closeQuietly(frames.pop()!.fd);
      continue;
    }
    const last = !queue.some((s) => s !== "" && s !== ".");
    if (last) {
      if (!opts.followFinal) return new Anchor(frames, name);
      let stat: fs.Stats | null = null;
      try {
        stat = await fs.promises.lstat(at(top().fd, name));
      } catch (error) {
        if (!isMissing(error)) return fail(error);
      }
      if (stat?.isSymbolicLink()) {
        await expandLink(name);
        continue;
      }
      return new Anchor(frames, name);
    }
    try {
      const fd = opts.createParents ? await ensureDirAt(top().fd, name, opts.owner) : await openDirAt(top().fd, name);
      frames.push({ fd, rel: top().rel ? `${top().rel}/${name}` : name });
      continue;
    } catch (error) {
      if (errno(error) === "ENOENT") return fail(notFound("File"));
      if (errno(error) !== "ENOTDIR" && errno(error) !== "ELOOP" && errno(error) !== "EEXIST") return fail(error);
    }
    // Not a folder: a link (follow it here), or a file in the way.
    const stat = await fs.promises.lstat(at(top().fd, name)).catch(() => null);
    if (stat?.isSymbolicLink()) {
      await expandLink(name);
      continue;
    }
    const where = top().rel ? `${top().rel}/${name}` : name;
    return fail(stat ? new ApiError("bad_request", `${where} is a file, not a directory`) : notFound("File"));
  }
  // The path named a folder of the walk itself (the root, or a link to a folder as the last step).
  if (frames.length === 1) return new Anchor(frames, "");
  const dir = frames.pop()!;
  await closeQuietly(dir.fd);
  return new Anchor(frames, dir.rel.slice(dir.rel.lastIndexOf("/") + 1));
}

/** Runs `fn` with the anchor of `rel` and releases it afterwards. */
export async function withAnchor<T>(root: string, rel: string, opts: WalkOptions, fn: (anchor: Anchor) => Promise<T>): Promise<T> {
  const anchor = await walk(root, rel, opts);
  try {
    return await fn(anchor);
  } finally {
    await anchor.release();
  }
}

export interface OpenedFile {
  bytes: Buffer;
  stat: fs.Stats;
}

/**
 * Reads the regular file the anchor names, at most `maxBytes` (`tooLarge` decides the error beyond).
 * Null when it does not exist; 400 for a folder or a special file. The size comes from the open
 * descriptor, and the read stops at the limit even if the file grows meanwhile.
 */
export async function readAt(anchor: Anchor, maxBytes: number, tooLarge: (size: number) => Error): Promise<OpenedFile | null> {
  if (!anchor.name) throw new ApiError("bad_request", `${anchor.rel || "The project root"} is a directory`);
  return readNamed(anchor.dirFd, anchor.name, anchor.rel, maxBytes, tooLarge);
}

/** readAt for entry `name` of the open folder `dirFd` (`rel` names it in errors). */
export async function readNamed(dirFd: number, name: string, rel: string, maxBytes: number, tooLarge: (size: number) => Error): Promise<OpenedFile | null> {
  let fd: number;
  try {
    fd = await openFd(at(dirFd, name), READ_FLAGS);
  } catch (error) {
    if (errno(error) === "ENOENT") return null;
    if (errno(error) === "ELOOP") throw accessDenied(); // a link (or became one after the walk looked)
    if (errno(error) === "ENXIO") throw notRegular(rel, "a socket");
    throw error;
  }
  try {
    const stat = await fdStat(fd);
    if (stat.isDirectory()) throw new ApiError("bad_request", `${rel} is a directory; list it with GET /files?path=`);
    if (!stat.isFile()) throw notRegular(rel, specialName(stat));
    if (stat.size > maxBytes) throw tooLarge(stat.size);
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = await fdRead(fd, buffer, length);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge(length);
    }
    return { bytes: buffer.subarray(0, length), stat };
  } finally {
    await closeQuietly(fd);
  }
}

const fdStat = (fd: number) => new Promise<fs.Stats>((resolve, reject) => fs.fstat(fd, (e, s) => (e ? reject(e) : resolve(s))));
const fdRead = (fd: number, buffer: Buffer, offset: number) =>
  new Promise<number>((resolve, reject) => fs.read(fd, buffer, offset, buffer.byteLength - offset, null, (e, n) => (e ? reject(e) : resolve(n))));

/**
 * Replaces (or creates) the entry the anchor names with `bytes`, atomically: a fresh temp file in the
 * same open folder (O_EXCL | O_NOFOLLOW), owned and moded like the file it replaces (or by `owner`),
 * then renamed over the name. 400 when a folder or a special file is in the way.
 */
export async function writeAt(
  anchor: Anchor,
  bytes: Uint8Array,
  opts: { owner?: Owner; existing?: fs.Stats | null; mtime?: Date; mode?: number } = {},
): Promise<fs.Stats> {
  if (!anchor.name) throw new ApiError("bad_request", "The project root is a directory; a file cannot be written there");
  const existing = opts.existing === undefined ? await anchor.lstat() : opts.existing;
  if (existing?.isDirectory()) throw new ApiError("bad_request", `${anchor.rel} is a directory; a file cannot be written there`);
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw notRegular(anchor.rel, specialName(existing));
  const temp = `${TEMP_PREFIX}${randomBytes(6).toString("hex")}`;
  const fd = await openFd(at(anchor.dirFd, temp), CREATE_FLAGS, 0o644).catch((error: unknown) => {
    throw errno(error) === "ENOENT" ? folderVanished(anchor.rel) : error;
  });
  let stat: fs.Stats;
  try {
    const mode = opts.mode ?? (existing?.isFile() ? existing.mode & 0o7777 : 0o644);
    const owner = existing?.isFile() ? { uid: existing.uid, gid: existing.gid } : opts.owner;
    await new Promise<void>((resolve, reject) => fs.fchmod(fd, mode, (e) => (e ? reject(e) : resolve())));
    if (owner && process.getuid?.() === 0)
      await new Promise<void>((resolve, reject) => fs.fchown(fd, owner.uid, owner.gid, (e) => (e ? reject(e) : resolve())));
    let offset = 0;
    while (offset < bytes.byteLength) {
      offset += await new Promise<number>((resolve, reject) =>
        fs.write(fd, bytes, offset, bytes.byteLength - offset, null, (e, n) => (e ? reject(e) : resolve(n))),
      );
    }
    if (opts.mtime) await new Promise<void>((resolve, reject) => fs.futimes(fd, opts.mtime!, opts.mtime!, (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
    stat = await fdStat(fd);
  } catch (error) {
    await closeQuietly(fd);
    await fs.promises.unlink(at(anchor.dirFd, temp)).catch(() => undefined);
    throw error;
  }
  await closeQuietly(fd);
  try {
    await fs.promises.rename(at(anchor.dirFd, temp), anchor.path);
  } catch (error) {
    await fs.promises.unlink(at(anchor.dirFd, temp)).catch(() => undefined);
    if (errno(error) === "EISDIR" || errno(error) === "ENOTEMPTY" || errno(error) === "EEXIST") {
      throw new ApiError("bad_request", `${anchor.rel} is a directory; a file cannot be written there`);
    }
    if (errno(error) === "ENOENT") throw folderVanished(anchor.rel);
    throw error;
  }
  return stat;
}

/** The open folder a write was going into was deleted meanwhile (by the container, say). */
const folderVanished = (rel: string) =>
  new ApiError("conflict", `The folder of ${rel} was removed while it was being written; nothing was written`, { path: rel });

/** Creates the folder the anchor names (fine when it is one already); 400 when something else is there. */
export async function mkdirAt(anchor: Anchor, owner?: Owner): Promise<boolean> {
  if (!anchor.name) return false;
  try {
    await fs.promises.mkdir(anchor.path, { mode: 0o755 });
  } catch (error) {
    if (errno(error) !== "EEXIST") throw error;
    const stat = await anchor.lstat();
    if (stat?.isDirectory()) return false;
    throw new ApiError("bad_request", `${anchor.rel} is ${stat?.isSymbolicLink() ? "a symbolic link" : "a file"}, not a directory`);
  }
  if (owner && process.getuid?.() === 0) await fs.promises.lchown(anchor.path, owner.uid, owner.gid).catch(() => undefined);
  return true;
}

/**
 * Removes every entry inside the open folder `dirFd`, depth first, never following a link: each
 * name is unlinked in its folder, and a sub-folder is opened with O_NOFOLLOW before it is emptied.
 * Entries that vanish meanwhile are fine. `keep` spares top-level names.
 */
export async function emptyDir(dirFd: number, keep: (name: string, isDir: boolean) => boolean = () => false): Promise<void> {
  const entries = await fs.promises.readdir(at(dirFd), { withFileTypes: true });
  for (const entry of entries) {
    if (keep(entry.name, entry.isDirectory())) continue;
    await removeEntryAt(dirFd, entry.name);
  }
}

/** Removes `name` from the open folder `dirFd` (a folder recursively); false when it was already gone. */
export async function removeEntryAt(dirFd: number, name: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.promises.unlink(at(dirFd, name));
      return true;
    } catch (error) {
      if (errno(error) === "ENOENT") return false;
      if (errno(error) !== "EISDIR" && errno(error) !== "EPERM") throw error;
    }
    let sub: number;
    try {
      sub = await openDirAt(dirFd, name);
    } catch (error) {
      if (errno(error) === "ENOENT") return false;
      if ((errno(error) === "ENOTDIR" || errno(error) === "ELOOP") && attempt < 3) continue; // swapped: unlink the new entry
      throw error;
    }
    try {
      await emptyDir(sub);
    } finally {
      await closeQuietly(sub);
    }
    try {
      await fs.promises.rmdir(at(dirFd, name));
      return true;
    } catch (error) {
      if (errno(error) === "ENOENT") return false;
      // Something was added meanwhile (the container writes too): go again, a few times.
      if ((errno(error) === "ENOTEMPTY" || errno(error) === "EEXIST" || errno(error) === "ENOTDIR") && attempt < 3) continue;
      if (errno(error) === "ENOTEMPTY" || errno(error) === "EEXIST") {
        throw new ApiError("conflict", "Files were being added to the folder while it was deleted; try again", { reason: "busy" });
      }
      throw error;
    }
  }
}

export interface TreeEntry {
  /** Project-relative path. */
  rel: string;
  /** The open folder holding the entry (valid during the visit only). */
  dirFd: number;
  name: string;
  kind: EntryKind;
  stat: fs.Stats;
}

/**
 * Visits every entry under the open folder `dirFd` (depth first, not following links), with lstat
 * data. `descend` decides whether to enter a sub-folder. Entries that vanish mid-walk are skipped.
 */
export async function visitTree(
  dirFd: number,
  relDir: string,
  visit: (entry: TreeEntry) => Promise<void> | void,
  descend: (entry: TreeEntry) => boolean = () => true,
  /** Decides from the directory entry alone (no lstat) whether to look at it at all. */
  wants: (dirent: fs.Dirent, rel: string) => boolean = () => true,
): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(at(dirFd), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const dirent of entries) {
    if (!wants(dirent, relDir ? `${relDir}/${dirent.name}` : dirent.name)) continue;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(at(dirFd, dirent.name));
    } catch {
      continue;
    }
    const entry: TreeEntry = { rel: relDir ? `${relDir}/${dirent.name}` : dirent.name, dirFd, name: dirent.name, kind: kindOf(stat), stat };
    await visit(entry);
    if (entry.kind !== "directory" || !descend(entry)) continue;
    let sub: number;
    try {
      sub = await openDirAt(dirFd, dirent.name);
    } catch {
      continue; // vanished, or swapped for a link or a file since the lstat
    }
    try {
      await visitTree(sub, entry.rel, visit, descend, wants);
    } finally {
      await closeQuietly(sub);
    }
  }
}

/** Opens folder `rel` under `root` for visitTree (links inside the project followed as in walk). */
export async function withDir<T>(root: string, rel: string, fn: (dirFd: number, realRel: string) => Promise<T>): Promise<T> {
  return withAnchor(root, rel, { followFinal: true }, async (anchor) => {
    if (!anchor.name) return fn(anchor.dirFd, anchor.rel);
    let fd: number;
    try {
      fd = await openDirAt(anchor.dirFd, anchor.name);
    } catch (error) {
      if (errno(error) === "ENOENT") throw notFound("Directory");
      if (errno(error) === "ENOTDIR") throw new ApiError("bad_request", `${anchor.rel} is a file, not a directory`);
      if (errno(error) === "ELOOP") throw accessDenied();
      throw error;
    }
    try {
      return await fn(fd, anchor.rel);
    } finally {
      await closeQuietly(fd);
    }
  });
}

/**
 * Synchronous, link-refusing open of folder `rel` under `root` (every component opened with O_NOFOLLOW
 * from its parent's descriptor; no link is followed, not even one inside the project). For the file
 * watcher, whose callbacks are synchronous. Null when missing or not a folder; the caller closes the fd.
 */
export function openDirNoFollowSync(root: string, rel: string): number | null {
  let fd = fs.openSync(root, C.O_RDONLY | C.O_DIRECTORY);
  for (const name of rel === "" ? [] : rel.split("/")) {
    let next: number;
    try {
      next = fs.openSync(at(fd, name), DIR_FLAGS);
    } catch {
      fs.closeSync(fd);
      return null;
    }
    fs.closeSync(fd);
    fd = next;
  }
  return fd;
}

/** lstat of `rel` under `root` through link-refusing folder opens; null when it (or a parent) is missing. */
export function lstatNoFollowSync(root: string, rel: string): fs.Stats | null {
  const slash = rel.lastIndexOf("/");
  const dirFd = openDirNoFollowSync(root, slash < 0 ? "" : rel.slice(0, slash));
  if (dirFd === null) return null;
  try {
    return fs.lstatSync(at(dirFd, rel.slice(slash + 1)), { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  } finally {
    fs.closeSync(dirFd);
  }
}
