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
