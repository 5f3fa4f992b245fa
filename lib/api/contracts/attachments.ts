import { z } from "zod";
import { env } from "@/lib/env";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { attachmentSchema } from "@/lib/shared/chat-protocol";
import { uuid } from "../schemas";

const tag = "Attachments";
const projectParams = z.object({ project_id: uuid });

/** Room for the multipart framing around one ATTACHMENT_MAX_BYTES file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export const uploadAttachmentRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/attachments",
  summary:
    "Attach an image for a chat message (multipart, one `file` part: PNG, JPEG, WebP or GIF up to ATTACHMENT_MAX_BYTES). The type is read from the bytes: anything else, or a declared type or extension that disagrees with them, is 415; too large 413. Name its id in a user_message's metadata.attachments",
  tag,
  auth: "user",
  params: projectParams,
  bodyKind: "multipart",
  get maxBodyBytes() {
    return env().ATTACHMENT_MAX_BYTES + MULTIPART_OVERHEAD;
  },
  response: attachmentSchema,
  successStatus: 201,
});

export const getAttachmentRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/attachments/{attachment_id}",
  summary: "The attached image's bytes, with its content type (404 for another project's or user's attachment)",
  tag,
  auth: "user",
  params: projectParams.extend({ attachment_id: uuid }),
  produces: "image/*",
});

export const attachmentsContracts: RouteContract[] = [uploadAttachmentRoute, getAttachmentRoute];
