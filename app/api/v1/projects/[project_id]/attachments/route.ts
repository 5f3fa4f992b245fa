import { uploadAttachmentRoute } from "@/lib/api/contracts/attachments";
import { saveAttachment } from "@/lib/attachments/store";
import { ApiError } from "@/lib/errors";
import { readFormLimited } from "@/lib/http/multipart";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/attachments - one image for a chat message (multipart field `file`)
  POST: route(uploadAttachmentRoute, async ({ caller, req, project }) => {
    const form = await readFormLimited(req, uploadAttachmentRoute.maxBodyBytes!);
    const files = form.getAll("file");
    const file = files[0];
    if (files.length !== 1 || typeof file === "string" || !file) {
      throw new ApiError("bad_request", "Send exactly one image in the multipart field file", {
        fields: [{ path: "body.file", message: files.length > 1 ? "Only one file per request" : "Required" }],
      });
    }
    const attachment = await saveAttachment({
      projectId: project.id,
      userId: caller.user.id,
      bytes: new Uint8Array(await file.arrayBuffer()),
      declaredType: file.type,
      fileName: file.name,
    });
    return { message: "Image attached", data: attachment, status: 201 };
  }),
});
