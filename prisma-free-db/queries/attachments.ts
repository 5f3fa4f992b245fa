import type { Queryable } from "../client";

/** An image attached to a chat message (the bytes are in DATABASE_DIR/attachments, see lib/attachments/store.ts). */
export interface Attachment {
  id: string;
  project_id: string;
  user_id: string;
  mime: string;
  size: number;
  width: number;
  height: number;
}

const columns = "id, project_id, user_id, mime, size, width, height";

export async function insertAttachment(db: Queryable, a: Attachment): Promise<void> {
  await db.run("INSERT INTO chat_attachments (id, project_id, user_id, mime, size, width, height) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
    a.id,
    a.project_id,
    a.user_id,
    a.mime,
    a.size,
    a.width,
    a.height,
  ]);
}

/** The attachments among `ids` that `userId` attached in `projectId` (others' and other projects' are left out). */
export async function listOwnedAttachments(
  db: Queryable,
  { projectId, userId, ids }: { projectId: string; userId: string; ids: string[] },
): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const list = ids.map((_, i) => `$${i + 3}`).join(", ");
  return db.all<Attachment>(`SELECT ${columns} FROM chat_attachments WHERE project_id = $1 AND user_id = $2 AND id IN (${list})`, [projectId, userId, ...ids]);
}

/** Removes a project's attachment rows (called inside the project-delete transaction). */
export async function deleteProjectAttachments(db: Queryable, { projectId }: { projectId: string }): Promise<void> {
  await db.run("DELETE FROM chat_attachments WHERE project_id = $1", [projectId]);
}
