import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { ApiError, accessDenied, notFound } from "@/lib/errors";
import { emptyDir, mkdirAt, openRoot, readAt, removeEntryAt, walk, withAnchor, withDir, writeAt, type Anchor } from "./anchored-fs";
import { announceChange, type ChangeSource } from "./events";
import { normalizeFilePath, normalizeRelativePath } from "./paths";
import { IGNORED_DIRS, TEMP_PREFIX, projectDir } from "./project-dir";
import { projectFilesOwner } from "./project-owner";
import { withProjectLock } from "./project-lock";
import { findTree, type FileEntry } from "./tree";

/**
 * Every read and write of project files goes through this module: path containment, size limits,
 * optimistic concurrency, atomic writes and the `file_changed` announcement. Route handlers, the
 * agent's tools, upload and zip import all call these functions; nothing else writes project files.
 * The file system work itself is lib/files/anchored-fs.ts: every path is walked from an open descriptor
 * of the project root without the kernel ever following a link, because processes in the project's
 * container change the same tree concurrently.
 */

export type { FileEntry } from "./tree";
export type { ChangeSource } from "./events";

export interface FileInfo {
  path: string;
  size: number;
  mtime: string;
  /** sha256 of the content: send it back as `version` / If-Match when writing. */
  version: string;
}

export interface FileContent extends FileInfo {
  /** UTF-8 text, or base64 when `binary`. */
  content: string;
  encoding: "utf8" | "base64";
  binary: boolean;
}

export const versionOf = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export const fileMaxBytes = () => env().FILE_MAX_BYTES;

function tooLarge(size: number, limit = fileMaxBytes()) {
  return new ApiError("payload_too_large", `File is ${size} bytes; the limit is ${limit} bytes`, { size_bytes: size, limit_bytes: limit });
}

/** Binary when there is a NUL byte or the bytes are not valid UTF-8. */
export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.subarray(0, 8000).includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

const info = (rel: string, stat: fs.Stats, version: string): FileInfo => ({ path: rel, size: stat.size, mtime: stat.mtime.toISOString(), version });

const root = (projectId: string) => projectDir(projectId);

/** The recursive tree (skips node_modules, .git, .next, dist unless `includeIgnored`). */
export async function listTree(
  projectId: string,
  opts: { path?: string; includeIgnored?: boolean; maxEntries?: number } = {},
): Promise<{ entries: FileEntry[]; truncated: boolean }> {
  const rel = normalizeRelativePath(opts.path ?? "");
  return withDir(root(projectId), rel, (dirFd) =>
    findTree(dirFd, rel, { includeIgnored: opts.includeIgnored ?? false, maxEntries: opts.maxEntries ?? 100_000 }),
  );
}

/** Metadata of a file or directory (links inside the project followed), or null when missing. */
export async function statProjectPath(
  projectId: string,
  rawPath: string,
): Promise<{ path: string; type: "file" | "directory" | "special"; size: number; mtime: string } | null> {
  const rel = normalizeRelativePath(rawPath);
  try {
    return await withAnchor(root(projectId), rel, { followFinal: true }, async (anchor) => {
      const stat = anchor.name ? await anchor.lstat() : await fs.promises.stat(anchor.path);
      if (!stat) return null;
      const type = stat.isDirectory() ? "directory" : stat.isFile() ? "file" : "special";
      return { path: rel, type, size: type === "file" ? stat.size : 0, mtime: stat.mtime.toISOString() };
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") return null;
    throw error;
  }
}

/** Reads the regular file at `rel`'s anchor, or null when it does not exist. */
async function readExisting(anchor: Anchor, limit: number) {
  return readAt(anchor, limit, (size) => tooLarge(size, limit));
}

/** Reads raw bytes (size-limited); 400 for a directory or a special file, 404 when missing. */
export async function readProjectBytes(projectId: string, rawPath: string, opts: { maxBytes?: number } = {}): Promise<{ bytes: Buffer; info: FileInfo }> {
  const rel = normalizeFilePath(rawPath);
  const limit = opts.maxBytes ?? fileMaxBytes();
  const file = await withAnchor(root(projectId), rel, { followFinal: true }, (anchor) => readExisting(anchor, limit));
  if (!file) throw notFound("File");
  return { bytes: file.bytes, info: info(rel, file.stat, versionOf(file.bytes)) };
}

/** Reads a file: text as UTF-8, binary as base64, with its version. */
export async function readProjectFile(projectId: string, rawPath: string, opts: { maxBytes?: number } = {}): Promise<FileContent> {
  const { bytes, info: meta } = await readProjectBytes(projectId, rawPath, opts);
  const binary = isBinary(bytes);
  return { ...meta, binary, encoding: binary ? "base64" : "utf8", content: binary ? bytes.toString("base64") : bytes.toString("utf8") };
}

export interface WriteOptions {
  /**
   * Optimistic concurrency. A string: the file must currently have this version (else 409).
   * `null`: the file must not exist yet (create only). Omitted: unconditional write.
   */
  expectedVersion?: string | null;
  source?: ChangeSource;
}

function conflict(rel: string, current: string | null) {
  return new ApiError("conflict", current === null ? `${rel} no longer exists` : `${rel} was changed since you read it; reload it and apply your edit again`, {
    path: rel,
    current_version: current,
  });
}

/** The current version of the anchored file (null when missing); a file over the size limit has none that can match. */
async function currentVersion(anchor: Anchor): Promise<string | null> {
  try {
    const file = await readExisting(anchor, fileMaxBytes());
    return file ? versionOf(file.bytes) : null;
  } catch (error) {
    if (error instanceof ApiError && error.code === "payload_too_large") return "too-large";
    throw error;
  }
}

/**
 * Walks to `rel` for a write. Parents are created only once nothing else can refuse the request, so a
 * refused write leaves no new folders behind: `prepare` runs first on a walk that creates nothing.
 */
async function anchorForWrite<T>(
  projectId: string,
  rel: string,
  prepare: (anchor: Anchor | null) => Promise<void>,
  write: (anchor: Anchor) => Promise<T>,
): Promise<T> {
  let anchor: Anchor | null;
  try {
    anchor = await walk(root(projectId), rel, { followFinal: true });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "not_found")) throw error;
    anchor = null; // a parent folder is missing
  }
  try {
    await prepare(anchor);
    anchor ??= await walk(root(projectId), rel, { followFinal: true, createParents: true, owner: projectFilesOwner() });
    return await write(anchor);
  } finally {
    await anchor?.release();
  }
}

/** Creates or overwrites a file (parents created), honouring `expectedVersion`; announces the change. */
export async function writeProjectFile(
  projectId: string,
  rawPath: string,
  content: string | Uint8Array,
  opts: WriteOptions = {},
): Promise<FileInfo & { created: boolean }> {
  const rel = normalizeFilePath(rawPath);
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (bytes.byteLength > fileMaxBytes()) throw tooLarge(bytes.byteLength);
  return withProjectLock(projectId, async () => {
    let existed = false;
    const stat = await anchorForWrite(
      projectId,
      rel,
      async (anchor) => {
        const existing = anchor ? await anchor.lstat() : null;
        existed = Boolean(existing);
        if (existing?.isDirectory()) throw new ApiError("bad_request", `${rel} is a directory; a file cannot be written there`);
        if (opts.expectedVersion === undefined) return;
        const current = anchor && existing ? await currentVersion(anchor) : null;
        if (opts.expectedVersion !== current) throw conflict(rel, current);
      },
      (anchor) => writeAt(anchor, bytes, { owner: projectFilesOwner() }),
    );
    announceChange(projectId, { path: rel, change: existed ? "modified" : "created", source: opts.source ?? "api" });
    return { ...info(rel, stat, versionOf(bytes)), created: !existed };
  });
}

/** Validates a batch of files (paths, sizes, no path both a file and a folder) without touching the disk. */
export function prepareBatch(files: { path: string; content: Uint8Array }[], maxFileBytes = fileMaxBytes()): { rel: string; content: Uint8Array }[] {
  const prepared = files.map((f) => {
    const rel = normalizeFilePath(f.path);
    if (f.content.byteLength > maxFileBytes) throw tooLarge(f.content.byteLength, maxFileBytes);
    return { rel, content: f.content };
  });
  const paths = new Set(prepared.map((f) => f.rel));
  for (const { rel } of prepared) {
    for (let i = rel.indexOf("/"); i !== -1; i = rel.indexOf("/", i + 1)) {
      if (paths.has(rel.slice(0, i))) throw new ApiError("bad_request", `${rel.slice(0, i)} is both a file and a folder in this request`);
    }
  }
  return prepared;
}

/** Refuses (400/403) a batch path that cannot be written as things stand; a missing parent is fine. */
async function checkWritable(projectId: string, rel: string): Promise<boolean> {
  try {
    return await withAnchor(root(projectId), rel, { followFinal: true }, async (anchor) => {
      const existing = await anchor.lstat();
      if (existing?.isDirectory()) throw new ApiError("bad_request", `${rel} is a directory; a file cannot be written there`);
      return Boolean(existing);
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") return false;
    throw error;
  }
}

/**
 * Writes several files as one operation (upload, zip import): every path is validated and checked
 * before the first byte is written, so a refused path means nothing was written. `replace` first
 * removes every file and folder of the project except node_modules, .git, .next and dist.
 * `maxFileBytes` defaults to FILE_MAX_BYTES (uploads and imports pass their own, larger limit).
 */
export async function writeProjectFiles(
  projectId: string,
  files: { path: string; content: Uint8Array }[],
  opts: { source?: ChangeSource; replace?: boolean; maxFileBytes?: number } = {},
): Promise<FileInfo[]> {
  const prepared = prepareBatch(files, opts.maxFileBytes);
  const source = opts.source ?? "api";
  const owner = projectFilesOwner();
  return withProjectLock(projectId, async () => {
    const existed = new Map<string, boolean>();
    for (const f of prepared) existed.set(f.rel, opts.replace ? false : await checkWritable(projectId, f.rel));
    if (opts.replace) {
      // Everything but dependencies/build output goes first; links are removed, never followed.
      const removed: string[] = [];
      await withDir(root(projectId), "", (rootFd) =>
        emptyDir(rootFd, (name, isDir) => {
          const keep = (isDir && IGNORED_DIRS.has(name)) || name.startsWith(TEMP_PREFIX);
          if (!keep) removed.push(name);
          return keep;
        }),
      );
      for (const name of removed) announceChange(projectId, { path: name, change: "deleted", source });
    }
    const written: FileInfo[] = [];
    for (const f of prepared) {
      const stat = await withAnchor(root(projectId), f.rel, { followFinal: true, createParents: true, owner }, (anchor) =>
        writeAt(anchor, f.content, { owner }),
      );
      announceChange(projectId, { path: f.rel, change: existed.get(f.rel) ? "modified" : "created", source });
      written.push(info(f.rel, stat, versionOf(f.content)));
    }
    return written;
  });
}

/**
 * A symlink is deleted or moved as the link itself, but only when it leads to something inside the
 * project, as every other operation on it would: a link out of the project, dangling or looping is 403.
 */
async function refuseLinkOutside(projectId: string, rel: string, stat: fs.Stats): Promise<void> {
  if (!stat.isSymbolicLink()) return;
  const exists = await withAnchor(root(projectId), rel, { followFinal: true }, async (anchor) => Boolean(!anchor.name || (await anchor.lstat()))).catch(
    () => false,
  );
  if (!exists) throw accessDenied();
}

/** Deletes a file, a directory (recursively), a symlink (the link, not its target) or a special file. */
export async function deleteProjectPath(
  projectId: string,
  rawPath: string,
  opts: { source?: ChangeSource; expectedVersion?: string } = {},
): Promise<{ path: string; type: "file" | "directory" }> {
  const rel = normalizeFilePath(rawPath);
  return withProjectLock(projectId, async () => {
    const type = await withAnchor(root(projectId), rel, { followFinal: false }, async (anchor) => {
      const stat = await anchor.lstat();
      if (!stat) throw notFound("File");
      await refuseLinkOutside(projectId, rel, stat);
      const isDir = stat.isDirectory();
      if (opts.expectedVersion !== undefined && stat.isFile()) {
        const current = await currentVersion(anchor);
        if (current !== opts.expectedVersion) throw conflict(rel, current);
      }
      if (!(await removeEntryAt(anchor.dirFd, anchor.name))) throw notFound("File");
      return isDir ? ("directory" as const) : ("file" as const);
    });
    announceChange(projectId, { path: rel, change: "deleted", source: opts.source ?? "api" });
    return { path: rel, type };
  });
}

/** Renames or moves a file or directory inside the project; 409 when `to` exists (unless `overwrite` for files). */
export async function moveProjectPath(
  projectId: string,
  rawFrom: string,
  rawTo: string,
  opts: { source?: ChangeSource; overwrite?: boolean } = {},
): Promise<{ from: string; to: string; type: "file" | "directory" }> {
  const from = normalizeFilePath(rawFrom);
  const to = normalizeFilePath(rawTo);
  if (from === to) throw new ApiError("bad_request", "Source and destination are the same");
  return withProjectLock(projectId, async () => {
    const isDir = await withAnchor(root(projectId), from, { followFinal: false }, async (source) => {
      const stat = await source.lstat();
      if (!stat) throw notFound("File");
      await refuseLinkOutside(projectId, from, stat);
      const dir = stat.isDirectory();
      if (dir && (to === from || to.startsWith(`${from}/`))) throw new ApiError("bad_request", `Cannot move ${from} into itself`);
      return anchorForWrite(
        projectId,
        to,
        async (dest) => {
          if (!dest) return;
          if (dest.rel === source.rel) throw new ApiError("bad_request", "Source and destination are the same");
          if (dir && dest.rel.startsWith(`${source.rel}/`)) throw new ApiError("bad_request", `Cannot move ${from} into itself`);
          const existing = await dest.lstat();
          if (existing && (!opts.overwrite || dir || existing.isDirectory())) throw new ApiError("conflict", `${to} already exists`, { path: to });
        },
        async (dest) => {
          try {
            await fs.promises.rename(source.path, dest.path);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "EINVAL") throw new ApiError("bad_request", `Cannot move ${from} into itself`);
            if (code === "ENOENT") throw notFound("File");
            if (code === "EISDIR" || code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR")
              throw new ApiError("conflict", `${to} already exists`, { path: to });
            throw error;
          }
          return dir;
        },
      );
    });
    announceChange(projectId, { path: to, from, change: "renamed", source: opts.source ?? "api" });
    return { from, to, type: isDir ? "directory" : "file" };
  });
}

/** Creates a directory (and parents); fine when it already exists, 400 when a file is in the way. */
export async function makeProjectDir(projectId: string, rawPath: string, opts: { source?: ChangeSource } = {}): Promise<{ path: string; created: boolean }> {
  const rel = normalizeFilePath(rawPath);
  const owner = projectFilesOwner();
  return withProjectLock(projectId, async () => {
    const created = await withAnchor(root(projectId), rel, { followFinal: true, createParents: true, owner }, (anchor) => mkdirAt(anchor, owner));
    if (created) announceChange(projectId, { path: rel, change: "created", source: opts.source ?? "api" });
    return { path: rel, created };
  });
}

/**
 * Removes a project's whole directory. The walk never follows a link (a folder the container swapped for
 * a link to a host folder loses the link, not the host folder's files), so it is safe even if the
 * project's container were still running.
 */
export async function removeProjectTree(projectId: string): Promise<void> {
  const dir = projectDir(projectId);
  const fd = await openRoot(path.dirname(dir)).catch(() => null);
  if (fd === null) return;
  try {
    await removeEntryAt(fd, path.basename(dir));
  } finally {
    fs.closeSync(fd);
  }
}
