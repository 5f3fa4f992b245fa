import { getAttachmentRoute } from "@/lib/api/contracts/attachments";
import { downloadName, ownedAttachments, readAttachmentBytes } from "@/lib/attachments/store";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/attachments/{attachment_id} - the image's bytes
  GET: route(getAttachmentRoute, async ({ caller, params, project }) => {
    const [attachment] = await ownedAttachments(project.id, caller.user.id, [params.attachment_id]);
    const bytes = await readAttachmentBytes(project.id, attachment!.id);
    return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      headers: {
        "content-type": attachment!.mime,
        "content-length": String(bytes.length),
        "content-disposition": `inline; filename="${downloadName(attachment!)}"`,
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        // An attachment never changes: its id names these bytes.
        "cache-control": "private, max-age=31536000, immutable",
      },
    });
  }),
});
