import { ApiError } from "@/lib/errors";
import { env } from "@/lib/env";
import { readBodyLimited } from "@/lib/http/body";
import { formFiles, readFormLimited } from "./multipart";
import { writeProjectFiles, type ChangeSource } from "./service";
import { readZipForImport } from "./zip";

/** The zip bytes of an import request: multipart field `file`, or a raw application/zip body. */
export async function readZipUpload(req: Request): Promise<{ zip: Uint8Array; form?: FormData }> {
  const limit = env().UPLOAD_MAX_BYTES;
  const type = req.headers.get("content-type") ?? "";
  if (/^application\/(zip|x-zip-compressed|octet-stream)\b/i.test(type)) return { zip: await readBodyLimited(req, limit) };
  const form = await readFormLimited(req, limit);
  const [file] = await formFiles(form, "file");
  if (!file) throw new ApiError("bad_request", "Send the zip as a multipart field named file", { fields: [{ path: "body.file", message: "Required" }] });
  return { zip: file.content, form };
}

/** Each file may be as large as an upload; the whole archive may expand to 4× that (zip bombs stop there). */
export const zipLimits = () => ({ maxFileBytes: env().UPLOAD_MAX_BYTES, maxTotalBytes: env().UPLOAD_MAX_BYTES * 4 });

/** Imports a zip: every entry is checked before anything is written (403 refuses the whole archive). */
export async function importZip(projectId: string, zip: Uint8Array, opts: { mode: "merge" | "replace"; source?: ChangeSource }): Promise<number> {
  const entries = readZipForImport(zip, zipLimits());
  const written = await writeProjectFiles(projectId, entries, {
    source: opts.source ?? "api",
    replace: opts.mode === "replace",
    maxFileBytes: env().UPLOAD_MAX_BYTES,
  });
  return written.length;
}
