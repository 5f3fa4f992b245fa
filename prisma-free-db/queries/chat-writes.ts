import type { Queryable } from "../client";

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
  /** ISO time; the caller's clock, so the frame announcing the message can carry the same value. */
  createdAt: string;
}

export async function insertChatMessage(db: Queryable, m: NewChatMessage): Promise<void> {
  await db.run(
    `INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, parts, status, model, checkpoint_before, checkpoint_after, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::JSON, $8, $9, $10, $11, $12::TIMESTAMPTZ)`,
    [m.id, m.sessionId, m.projectId, m.userId, m.role, m.content, JSON.stringify(m.parts), m.status, m.model, m.checkpointBefore ?? null, m.checkpointAfter ?? null, m.createdAt],
  );
}
