import type { Queryable } from "../client";
import { RowInsert } from "../row-insert";

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

const chatMessages = new RowInsert("chat_messages", [
  "id",
  "session_id",
  "project_id",
  "user_id",
  "role",
  "content",
  "parts::JSON",
  "status",
  "model",
  "checkpoint_before",
  "checkpoint_after",
  "created_at::TIMESTAMPTZ",
]);

export async function insertChatMessage(db: Queryable, m: NewChatMessage): Promise<void> {
  await db.insert(
    chatMessages,
    [m.id, m.sessionId, m.projectId, m.userId, m.role, m.content, JSON.stringify(m.parts), m.status, m.model, m.checkpointBefore ?? null, m.checkpointAfter ?? null, m.createdAt],
  );
}
