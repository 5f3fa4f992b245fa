import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import { ApiError, notFound } from "@/lib/errors";
import { getDb } from "@/prisma-free-db/client";
import { insertAttachment, listOwnedAttachments, type Attachment } from "@/prisma-free-db/queries/attachments";
import { extensionOf, inspectImage, type AttachmentMime } from "./image-type";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A project's attachments: DATABASE_DIR/attachments/<project id>, outside the project's files, so neither the
 * agent's tools nor the container see them, and checkpoints and zips leave them out.
 */
export function attachmentsDir(projectId: string): string {
  if (!uuidPattern.test(projectId)) throw new Error(`not a project id: ${projectId}`);
  return path.join(env().DATABASE_DIR, "attachments", projectId.toLowerCase());
}

function attachmentPath(projectId: string, id: string): string {
  if (!uuidPattern.test(id)) throw new Error(`not an attachment id: ${id}`);
  return path.join(attachmentsDir(projectId), id.toLowerCase());
}

/** What the API and the chat say about an attachment. */
export interface AttachmentInfo {
  id: string;
  mime: AttachmentMime;
  size: number;
  width: number;
  height: number;
}

export const attachmentInfo = (a: Attachment): AttachmentInfo => ({ id: a.id, mime: a.mime as AttachmentMime, size: a.size, width: a.width, height: a.height });

const extensionTypes: Record<string, AttachmentMime> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
};
const declaredAliases: Record<string, string> = { "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg" };

/**
 * The file's own claims (declared content type, image extension) must agree with what its bytes are: a
 * mismatch is refused rather than guessed at. A generic declared type (none, application/octet-stream) claims nothing.
 */
function claimedTypeProblem(actual: AttachmentMime, declaredType: string, fileName: string): string | null {
  const declared = declaredType.split(";")[0]!.trim().toLowerCase();
  const normalized = declaredAliases[declared] ?? declared;
  if (normalized && normalized !== "application/octet-stream" && normalized !== actual)
    return `the file is declared as ${declared} but its bytes are ${actual}`;
  const ext = path.extname(fileName).slice(1).toLowerCase();
  const byName = extensionTypes[ext];
  if (byName && byName !== actual) return `the file is named .${ext} but its bytes are ${actual}`;
  return null;
}

/** An uploaded image's real type and size, or the refusal (413 too large, 400 empty, 415 not an image or lying). */
export function checkImage(input: { bytes: Uint8Array; declaredType: string; fileName: string }) {
  const limit = env().ATTACHMENT_MAX_BYTES;
  if (input.bytes.length > limit) throw new ApiError("payload_too_large", `The image is larger than ${limit} bytes (ATTACHMENT_MAX_BYTES)`, { limit });
  if (input.bytes.length === 0) throw new ApiError("bad_request", "The file is empty", { fields: [{ path: "body.file", message: "must not be empty" }] });
  const image = inspectImage(input.bytes);
  if (!image) throw new ApiError("unsupported_media_type", "The file is not a PNG, JPEG, WebP or GIF image");
  const problem = claimedTypeProblem(image.mime, input.declaredType, input.fileName);
  if (problem) throw new ApiError("unsupported_media_type", `Refused: ${problem}`);
  return image;
}

/**
 * Checks and stores an uploaded image: its type is read from its bytes (png, jpeg, webp, gif; anything else 415),
 * its size is checked (413). The file is written first (to a temporary name, then renamed) and the row after it;
 * should the row fail, the file is removed, so a refusal leaves neither.
 */
export async function saveAttachment(input: {
  projectId: string;
  userId: string;
  bytes: Uint8Array;
  declaredType: string;
  fileName: string;
}): Promise<AttachmentInfo> {
  const image = checkImage(input);
  const row: Attachment = {
    id: randomUUID(),
    project_id: input.projectId,
    user_id: input.userId,
    mime: image.mime,
    size: input.bytes.length,
    width: image.width,
    height: image.height,
  };
  const target = attachmentPath(input.projectId, row.id);
  const temp = `${target}.tmp-${randomBytes(6).toString("hex")}`;
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    await fs.writeFile(temp, input.bytes, { flag: "wx", mode: 0o600 });
    await fs.rename(temp, target);
    await insertAttachment(await getDb(), row);
  } catch (error) {
    await Promise.all([fs.rm(temp, { force: true }), fs.rm(target, { force: true })]);
    throw error;
  }
  return attachmentInfo(row);
}

/** The attachments `ids` of `userId` in `projectId`, in the order asked; 404 naming the first one that is not there. */
export async function ownedAttachments(projectId: string, userId: string, ids: string[]): Promise<AttachmentInfo[]> {
  const valid = ids.filter((id) => uuidPattern.test(id));
  const rows = await listOwnedAttachments(await getDb(), { projectId, userId, ids: valid });
  const byId = new Map(rows.map((r) => [r.id.toLowerCase(), r]));
  return ids.map((id) => {
    const row = byId.get(id.toLowerCase());
    if (!row) throw new ApiError("not_found", `Attachment ${id} not found in this project`, { attachment_id: id });
    return attachmentInfo(row);
  });
}

/** The stored bytes of an attachment (404 when the file is gone). */
export async function readAttachmentBytes(projectId: string, id: string): Promise<Buffer> {
  try {
    return await fs.readFile(attachmentPath(projectId, id));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw notFound("Attachment");
    throw error;
  }
}

/** A safe file name for Content-Disposition: the id and the real type's extension, nothing the uploader chose. */
export const downloadName = (a: AttachmentInfo) => `${a.id}.${extensionOf(a.mime)}`;

/** Removes a deleted project's attachment files. */
export async function removeProjectAttachments(projectId: string): Promise<void> {
  await fs.rm(attachmentsDir(projectId), { recursive: true, force: true });
}
