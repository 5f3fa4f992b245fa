import { uploadRoute } from "@/lib/api/contracts/files";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { formFiles, readFormLimited } from "@/lib/http/multipart";
import { writeProjectFiles } from "@/lib/files/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/files/upload - multipart upload of one or more files
  POST: route(uploadRoute, async ({ params, req }) => {
    const form = await readFormLimited(req, env().UPLOAD_MAX_BYTES);
    const dir = form.get("dir") ?? "";
    if (typeof dir !== "string") throw new ApiError("bad_request", "Field dir must be text");
    const files = await formFiles(form, "files");
    if (files.length === 0)
      throw new ApiError("bad_request", "Send at least one file in the multipart field files", { fields: [{ path: "body.files", message: "Required" }] });
    const written = await writeProjectFiles(
      params.project_id,
      files.map((f) => ({ path: dir ? `${dir}/${f.name}` : f.name, content: f.content })),
      { source: "api", maxFileBytes: env().UPLOAD_MAX_BYTES },
    );
    return { message: `${written.length} file(s) uploaded`, data: written, status: 201 };
  }),
});
