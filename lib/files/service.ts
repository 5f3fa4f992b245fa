import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { ApiError, accessDenied, notFound } from "@/lib/errors";
import { announceChange, type ChangeSource } from "./events";
import { normalizeFilePath, normalizeRelativePath, resolveInside, isInside } from "./paths";
import { IGNORED_DIRS, TEMP_PREFIX, realProjectDir } from "./project-dir";
import { withProjectLock } from "./project-lock";
import { findTree, type FileEntry } from "./tree";

/**
 * Every read and write of project files goes through this module: path containment, size limits,
 * optimistic concurrency, atomic writes and the `file_changed` announcement. Route handlers, the
 * agent's tools, upload and zip import all call these functions; nothing else writes project files.
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

/** The recursive tree (skips node_modules, .git, .next, dist unless `includeIgnored`). */
export async function listTree(
  projectId: string,
  opts: { path?: string; includeIgnored?: boolean; maxEntries?: number } = {},
): Promise<{ entries: FileEntry[]; truncated: boolean }> {
  const root = realProjectDir(projectId);
  const target = resolveInside(root, normalizeRelativePath(opts.path ?? ""));
  if (!target.exists) throw notFound("Directory");
  if (!fs.statSync(target.abs).isDirectory()) throw new ApiError("bad_request", `${target.rel} is a file, not a directory`);
  return findTree(target.abs, target.rel, { includeIgnored: opts.includeIgnored ?? false, maxEntries: opts.maxEntries ?? 100_000 });
}

/** Metadata of a file or directory, or null when missing. */
export async function statProjectPath(projectId: string, rawPath: string): Promise<{ path: string; type: "file" | "directory"; size: number; mtime: string } | null> {
  const target = resolveInside(realProjectDir(projectId), normalizeRelativePath(rawPath));
  if (!target.exists) return null;
  const stat = fs.statSync(target.abs);
  return { path: target.rel, type: stat.isDirectory() ? "directory" : "file", size: stat.isDirectory() ? 0 : stat.size, mtime: stat.mtime.toISOString() };
}

/** Reads raw bytes (size-limited); 400 for a directory, 404 when missing. */
export async function readProjectBytes(projectId: string, rawPath: string, opts: { maxBytes?: number } = {}): Promise<{ bytes: Buffer; info: FileInfo }> {
  const rel = normalizeFilePath(rawPath);
  const target = resolveInside(realProjectDir(projectId), rel);
  if (!target.exists) throw notFound("File");
  const stat = fs.statSync(target.abs);
  if (stat.isDirectory()) throw new ApiError("bad_request", `${rel} is a directory; list it with GET /files?path=`);
  if (!stat.isFile()) throw new ApiError("bad_request", `${rel} is not a regular file`);
  const limit = opts.maxBytes ?? fileMaxBytes();
  if (stat.size > limit) throw tooLarge(stat.size, limit);
  const bytes = fs.readFileSync(target.abs);
  if (bytes.byteLength > limit) throw tooLarge(bytes.byteLength, limit);
  return { bytes, info: info(rel, stat, versionOf(bytes)) };
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
  return new ApiError(
    "conflict",
    current === null ? `${rel} no longer exists` : `${rel} was changed since you read it; reload it and apply your edit again`,
    { path: rel, current_version: current },
  );
}

/** Writes `bytes` to `abs` atomically: a temp file in the same directory, then rename. */
function atomicWrite(root: string, abs: string, bytes: Uint8Array) {
  const dir = path.dirname(abs);
  fs.mkdirSync(dir, { recursive: true });
  // The directory may have been swapped for a symlink by a process in the container since resolution.
  if (!isInside(root, fs.realpathSync(dir))) throw accessDenied();
  const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString("hex")}`);
  const existing = fs.statSync(abs, { throwIfNoEntry: false });
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  try {
    // An overwrite keeps the file's mode (executable scripts stay executable) and, when we may, its owner.
    if (existing) {
      fs.fchmodSync(fd, existing.mode & 0o7777);
      if (process.getuid?.() === 0) fs.fchownSync(fd, existing.uid, existing.gid);
    }
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, abs);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function checkWritable(root: string, rel: string) {
  const target = resolveInside(root, rel);
  if (target.exists && fs.statSync(target.abs).isDirectory()) throw new ApiError("bad_request", `${rel} is a directory; a file cannot be written there`);
  return target;
}

/** Creates or overwrites a file (parents created), honouring `expectedVersion`; announces the change. */
export async function writeProjectFile(projectId: string, rawPath: string, content: string | Uint8Array, opts: WriteOptions = {}): Promise<FileInfo & { created: boolean }> {
  const rel = normalizeFilePath(rawPath);
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (bytes.byteLength > fileMaxBytes()) throw tooLarge(bytes.byteLength);
  const root = realProjectDir(projectId);
  return withProjectLock(projectId, async () => {
    const target = checkWritable(root, rel);
    const current = target.exists ? versionOf(fs.readFileSync(target.abs)) : null;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== current) throw conflict(rel, current);
    atomicWrite(root, target.abs, bytes);
    announceChange(projectId, { path: rel, change: target.exists ? "modified" : "created", source: opts.source ?? "api" });
    return { ...info(rel, fs.statSync(target.abs), versionOf(bytes)), created: !target.exists };
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

/**
 * Writes several files as one operation (upload, zip import): every path is validated and resolved
 * before the first byte is written, so a refused path means nothing was written. `replace` first
 * removes every file and folder of the project except node_modules, .git, .next and dist.
 * `maxFileBytes` defaults to FILE_MAX_BYTES (uploads and imports pass their own, larger limit).
 */
export async function writeProjectFiles(
  projectId: string,
  files: { path: string; content: Uint8Array }[],
  opts: { source?: ChangeSource; replace?: boolean; maxFileBytes?: number } = {},
): Promise<FileInfo[]> {
  const root = realProjectDir(projectId);
  const prepared = prepareBatch(files, opts.maxFileBytes);
  return withProjectLock(projectId, async () => {
    let targets = prepared.map((f) => ({ ...f, target: checkWritable(root, f.rel) }));
    if (opts.replace) {
      // Everything but dependencies/build output goes first; links are removed, never followed.
      for (const d of fs.readdirSync(root, { withFileTypes: true })) {
        if ((d.isDirectory() && IGNORED_DIRS.has(d.name)) || d.name.startsWith(TEMP_PREFIX)) continue;
        fs.rmSync(path.join(root, d.name), { recursive: true, force: true });
        announceChange(projectId, { path: d.name, change: "deleted", source: opts.source ?? "api" });
      }
      targets = prepared.map((f) => ({ ...f, target: checkWritable(root, f.rel) }));
    }
    const written: FileInfo[] = [];
    for (const f of targets) {
      atomicWrite(root, f.target.abs, f.content);
      announceChange(projectId, { path: f.rel, change: f.target.exists ? "modified" : "created", source: opts.source ?? "api" });
      written.push(info(f.rel, fs.statSync(f.target.abs), versionOf(f.content)));
    }
    return written;
  });
}

/** Deletes a file, a directory (recursively) or a symlink (the link, not its target). */
export async function deleteProjectPath(projectId: string, rawPath: string, opts: { source?: ChangeSource; expectedVersion?: string } = {}): Promise<{ path: string; type: "file" | "directory" }> {
  const rel = normalizeFilePath(rawPath);
  const root = realProjectDir(projectId);
  return withProjectLock(projectId, async () => {
    const target = resolveInside(root, rel, { followFinal: false });
    if (!target.exists) throw notFound("File");
    const isDir = !target.isLink && fs.statSync(target.abs).isDirectory();
    if (opts.expectedVersion !== undefined && !isDir) {
      const current = versionOf(fs.readFileSync(target.abs));
      if (current !== opts.expectedVersion) throw conflict(rel, current);
    }
    fs.rmSync(target.abs, { recursive: isDir, force: false });
    announceChange(projectId, { path: rel, change: "deleted", source: opts.source ?? "api" });
    return { path: rel, type: isDir ? "directory" : "file" };
  });
}

/** Renames or moves a file or directory inside the project; 409 when `to` exists (unless `overwrite` for files). */
export async function moveProjectPath(projectId: string, rawFrom: string, rawTo: string, opts: { source?: ChangeSource; overwrite?: boolean } = {}): Promise<{ from: string; to: string; type: "file" | "directory" }> {
  const from = normalizeFilePath(rawFrom);
  const to = normalizeFilePath(rawTo);
  const root = realProjectDir(projectId);
  return withProjectLock(projectId, async () => {
    const source = resolveInside(root, from, { followFinal: false });
    if (!source.exists) throw notFound("File");
    const isDir = !source.isLink && fs.statSync(source.abs).isDirectory();
    const dest = resolveInside(root, to, { followFinal: false });
    if (source.abs === dest.abs) throw new ApiError("bad_request", "Source and destination are the same");
    if (isDir && isInside(source.abs, dest.abs)) throw new ApiError("bad_request", `Cannot move ${from} into itself`);
    if (dest.exists) {
      const destIsDir = !dest.isLink && fs.statSync(dest.abs).isDirectory();
      if (!opts.overwrite || isDir || destIsDir) throw new ApiError("conflict", `${to} already exists`, { path: to });
    }
    fs.mkdirSync(path.dirname(dest.abs), { recursive: true });
    if (!isInside(root, fs.realpathSync(path.dirname(dest.abs)))) throw accessDenied();
    fs.renameSync(source.abs, dest.abs);
    announceChange(projectId, { path: to, from, change: "renamed", source: opts.source ?? "api" });
    return { from, to, type: isDir ? "directory" : "file" };
  });
}

/** Creates a directory (and parents); fine when it already exists, 400 when a file is in the way. */
export async function makeProjectDir(projectId: string, rawPath: string, opts: { source?: ChangeSource } = {}): Promise<{ path: string; created: boolean }> {
  const rel = normalizeFilePath(rawPath);
  const root = realProjectDir(projectId);
  return withProjectLock(projectId, async () => {
    const target = resolveInside(root, rel);
    if (target.exists) {
      if (!fs.statSync(target.abs).isDirectory()) throw new ApiError("bad_request", `${rel} is a file, not a directory`);
      return { path: rel, created: false };
    }
    fs.mkdirSync(target.abs, { recursive: true });
    if (!isInside(root, fs.realpathSync(target.abs))) throw accessDenied();
    announceChange(projectId, { path: rel, change: "created", source: opts.source ?? "api" });
    return { path: rel, created: true };
  });
}
