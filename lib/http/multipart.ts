import { ApiError } from "@/lib/errors";
import { readBodyLimited } from "./body";

/**
 * Parses a multipart body after reading it with a hard size limit (413 before buffering the excess;
 * `req.formData()` on its own would buffer any size).
 */
export async function readFormLimited(req: Request, limit: number): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) throw new ApiError("unsupported_media_type", "Send multipart/form-data");
  const bytes = await readBodyLimited(req, limit);
  try {
    return await new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError("bad_request", "Malformed multipart body");
  }
}

/** The uploaded files of a form field, as path + bytes (the file name may carry sub-folders). */
export async function formFiles(form: FormData, field: string): Promise<{ name: string; content: Uint8Array }[]> {
  const out: { name: string; content: Uint8Array }[] = [];
  for (const value of form.getAll(field)) {
    if (typeof value === "string") throw new ApiError("bad_request", `Field ${field} must be a file`);
    out.push({ name: value.name, content: new Uint8Array(await value.arrayBuffer()) });
  }
  return out;
}
