import fs from "node:fs";
import path from "node:path";
import { ApiError, accessDenied } from "@/lib/errors";

/** Longest accepted project-relative path (characters) and path segment (UTF-8 bytes). */
export const MAX_PATH_LENGTH = 1024;
export const MAX_SEGMENT_BYTES = 255;

// Percent-escapes for `.`, `/`, `\` and NUL left after the URL layer decoded once: double encoding.
const leftoverEscape = /%(2e|2f|5c|00)/i;
const controlChars = /[\u0000-\u001f\u007f]/;

/**
 * Validates a client-supplied project-relative path (already URL-decoded once) and returns it
 * normalized (`a/b/c`, no `.` or empty segments; "" is the project root). Anything that could
 * name a place outside the project is refused with 403 before the file system is touched:
 * absolute paths, drive letters, backslashes, `..` segments, NUL and control characters,
 * leftover percent-escapes of `.` `/` `\` NUL, and over-long paths or segments.
 */
export function normalizeRelativePath(input: string): string {
  if (typeof input !== "string") throw accessDenied();
  if (input.length > MAX_PATH_LENGTH) throw accessDenied();
  if (controlChars.test(input) || input.includes("\\") || leftoverEscape.test(input)) throw accessDenied();
  if (input.startsWith("/") || /^[a-zA-Z]:/.test(input) || input.startsWith("~")) throw accessDenied();
  const segments: string[] = [];
  for (const segment of input.normalize("NFC").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." || /^\.{2,}$/.test(segment.trim())) throw accessDenied();
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw accessDenied();
    segments.push(segment);
  }
  return segments.join("/");
}

/** Like `normalizeRelativePath` but the project root itself is not a valid target. */
export function normalizeFilePath(input: string): string {
  const rel = normalizeRelativePath(input);
  if (rel === "") throw new ApiError("bad_request", "A path inside the project is required (the project root cannot be used here)");
  return rel;
}

/** True when `candidate` is `root` or inside it: decided with path.relative, never a string prefix. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw error;
  }
}

export interface ResolvedPath {
  /** Normalized project-relative path ("" for the root). */
  rel: string;
  /** Absolute location on disk after resolving every existing symlink (inside the project's real root). */
  abs: string;
  /** Whether the target exists (after following symlinks). */
  exists: boolean;
  /** The final component is a symlink (only reported when `followFinal` is false). */
  isLink: boolean;
}

/**
 * Resolves `rel` under the project's real root. Every existing component is resolved with realpath
 * and must stay inside the root; a symlink that leads outside, dangles or loops is refused (403).
 * Symlinks that stay inside are followed, so reads and writes land on the real file inside the project;
 * with `followFinal: false` a final symlink (pointing inside) is returned as the link itself.
 */
export function resolveInside(realRoot: string, rel: string, { followFinal = true }: { followFinal?: boolean } = {}): ResolvedPath {
  const segments = rel === "" ? [] : rel.split("/");
  let current = realRoot;
  for (let i = 0; i < segments.length; i++) {
    const next = path.join(current, segments[i]!);
    const stat = lstatOrNull(next);
    if (!stat) {
      const abs = path.join(next, ...segments.slice(i + 1));
      if (!isInside(realRoot, abs)) throw accessDenied();
      return { rel, abs, exists: false, isLink: false };
    }
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync(next);
      } catch {
        throw accessDenied(); // dangling or looping link
      }
      if (!isInside(realRoot, real)) throw accessDenied();
      // Delete and move act on the link itself, never on what it points to.
      if (!followFinal && i === segments.length - 1) return { rel, abs: next, exists: true, isLink: true };
      current = real;
    } else {
      current = next;
    }
    if (i < segments.length - 1 && !fs.statSync(current).isDirectory()) {
      throw new ApiError("bad_request", `${segments.slice(0, i + 1).join("/")} is a file, not a directory`);
    }
  }
  if (!isInside(realRoot, current)) throw accessDenied();
  return { rel, abs: current, exists: true, isLink: false };
}
