import { ApiError } from "@/lib/errors";

export const DEFAULT_MAX_BODY = 1024 * 1024;

function tooLarge(limit: number) {
  return new ApiError("payload_too_large", `Request body exceeds the ${formatBytes(limit)} limit`, { limit_bytes: limit });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

/** Reads a request body, refusing (413) beyond `limit` without buffering the excess. */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  const bytes = await readBodyLimited(req, limit);
  if (bytes.byteLength === 0) return undefined;
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError("unsupported_media_type", "Request body must be JSON (Content-Type: application/json)");
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError("bad_request", "Malformed JSON body");
  }
}
