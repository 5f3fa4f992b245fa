import type { Queryable } from "../client";
import { isoTime } from "../time";

/** Writes to chat_messages (the read side lives in queries/conversations.ts). */
export interface NewChatMessage {
  id: string;
  sessionId: string;
  projectId: string;
  userId: string;
  role: "user" | "assistant";
  content: string;
  parts: unknown[];
  status: "complete" | "cancelled" | "failed";
  model: string | null;
  checkpointBefore?: string | null;
  checkpointAfter?: string | null;
}

export async function insertChatMessage(db: Queryable, m: NewChatMessage): Promise<{ created_at: string }> {
  await db.run(
    `INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, parts, status, model, checkpoint_before, checkpoint_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7::JSON, $8, $9, $10, $11)`,
    [m.id, m.sessionId, m.projectId, m.userId, m.role, m.content, JSON.stringify(m.parts), m.status, m.model, m.checkpointBefore ?? null, m.checkpointAfter ?? null],
  );
  const row = await db.one<{ created_at: unknown }>("SELECT created_at FROM chat_messages WHERE id = $1", [m.id]);
  return { created_at: row ? isoTime(row.created_at) : new Date().toISOString() };
}
