import { ApiError } from "@/lib/errors";
import { env } from "@/lib/env";
import { readBodyLimited } from "./body";
import { formFiles, readFormLimited } from "./multipart";

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
