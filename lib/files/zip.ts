import zlib from "node:zlib";
import { inflateSync, strFromU8, zipSync, type Zippable } from "fflate";
import { env } from "@/lib/env";
import { ApiError, accessDenied } from "@/lib/errors";
import { readNamed, visitTree, withDir } from "./anchored-fs";
import { normalizeFilePath, normalizeRelativePath } from "./paths";
import { IGNORED_DIRS, TEMP_PREFIX, projectDir } from "./project-dir";

const MAX_EXPORT_FILES = 200_000;

/**
 * The project's regular files (not node_modules, .git, .next, dist; links and special files skipped) as a
 * zip. Each file is opened in the folder the walk holds open, without following a link, so an entry
 * swapped for a link mid-export is left out instead of followed. Files over UPLOAD_MAX_BYTES are left out.
 */
export async function zipProject(projectId: string): Promise<Uint8Array> {
  const files: Zippable = {};
  const limit = env().UPLOAD_MAX_BYTES;
  let count = 0;
  await withDir(projectDir(projectId), "", (rootFd) =>
    visitTree(
      rootFd,
      "",
      async (e) => {
        if (e.kind !== "file" || e.name.startsWith(TEMP_PREFIX) || count >= MAX_EXPORT_FILES) return;
        const file = await readNamed(e.dirFd, e.name, e.rel, limit, () => new Error("too large")).catch(() => null);
        if (!file) return; // vanished, grew past the limit, or is no longer a regular file
        count++;
        files[e.rel] = [file.bytes, { mtime: file.stat.mtime, level: file.bytes.byteLength > 1024 ? 6 : 0 }];
      },
      (e) => !IGNORED_DIRS.has(e.name) && !e.name.startsWith(TEMP_PREFIX),
    ),
  );
  return zipSync(files);
}

export interface ZipEntry {
  path: string;
  content: Uint8Array;
}

const badZip = (why: string) => new ApiError("bad_request", `Not a readable zip file: ${why}`);

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/**
 * Reads a zip's central directory and extracts every file in memory, refusing the whole archive
 * (403, before anything is written) when any entry would escape the project (`../`, absolute,
 * backslashes, NUL, …) or is a symlink or another special file. Directory entries are implied by
 * the files. The total uncompressed size is checked before inflating (zip bombs).
 */
export function readZipForImport(zip: Uint8Array, opts: { maxTotalBytes: number; maxFileBytes: number }): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.byteLength - 22; i >= Math.max(0, zip.byteLength - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw badZip("end of central directory not found");
  const count = view.getUint16(eocd + 10, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw badZip("ZIP64 archives are not supported");

  const headers: { name: string; method: number; compressed: number; size: number; crc: number; local: number; isDir: boolean }[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.byteLength || view.getUint32(p, true) !== 0x02014b50) throw badZip("broken central directory");
    const madeBy = view.getUint16(p + 4, true) >> 8;
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const attrs = view.getUint32(p + 38, true);
    const local = view.getUint32(p + 42, true);
    const name = strFromU8(zip.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) === 0);
    p += 46 + nameLen + extraLen + commentLen;

    const mode = madeBy === 3 ? (attrs >>> 16) & S_IFMT : 0; // Unix attributes only from Unix zippers
    if (mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR) throw accessDenied(); // symlink, device, fifo…
    const isDir = name.endsWith("/") || mode === S_IFDIR;
    if (isDir) {
      normalizeRelativePath(name); // 403 for anything that escapes; folders are implied by their files
      continue;
    }
    normalizeFilePath(name);
    if (method !== 0 && method !== 8) throw badZip(`entry ${name} uses an unsupported compression method`);
    if (size > opts.maxFileBytes) {
      throw new ApiError("payload_too_large", `${name} is ${size} bytes; the limit is ${opts.maxFileBytes} bytes`, { limit_bytes: opts.maxFileBytes });
    }
    total += size;
    if (total > opts.maxTotalBytes)
      throw new ApiError("payload_too_large", `The zip expands to more than ${opts.maxTotalBytes} bytes`, { limit_bytes: opts.maxTotalBytes });
    headers.push({ name, method, compressed, size, crc, local, isDir });
  }

  return headers.map((h) => {
    if (h.local + 30 > zip.byteLength || view.getUint32(h.local, true) !== 0x04034b50) throw badZip(`broken local header for ${h.name}`);
    const start = h.local + 30 + view.getUint16(h.local + 26, true) + view.getUint16(h.local + 28, true);
    const raw = zip.subarray(start, start + h.compressed);
    if (raw.byteLength !== h.compressed) throw badZip(`${h.name} is truncated`);
    let content: Uint8Array;
    try {
      content = h.method === 0 ? raw : inflateSync(raw, { out: new Uint8Array(h.size) });
    } catch {
      throw badZip(`${h.name} does not inflate`);
    }
    if (content.byteLength !== h.size || zlib.crc32(content) !== h.crc) throw badZip(`${h.name} fails its checksum`);
    return { path: normalizeFilePath(h.name), content };
  });
}
