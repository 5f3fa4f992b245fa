import { randomUUID } from "node:crypto";
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
  /** "plan" for a plan-mode message and its answer; absent for a build turn. */
  mode?: "plan" | null;
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
  "mode",
]);

export async function insertChatMessage(db: Queryable, m: NewChatMessage): Promise<void> {
  await db.insert(chatMessages, [
    m.id,
    m.sessionId,
    m.projectId,
    m.userId,
    m.role,
    m.content,
    JSON.stringify(m.parts),
    m.status,
    m.model,
    m.checkpointBefore ?? null,
    m.checkpointAfter ?? null,
    m.createdAt,
    m.mode ?? null,
  ]);
}

/** Journaled user messages (lib/chat/message-journal.ts) whose rows are missing and whose session still exists. */
export async function insertJournaledUserMessages(db: Queryable, messages: NewChatMessage[]): Promise<number> {
  let inserted = 0;
  for (const m of messages) {
    const rows = await db.all(
      `INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, parts, status, model, created_at, mode)
       SELECT $1, $2, $3, $4, 'user', $5, $6::JSON, $7, NULL, $8::TIMESTAMPTZ, $9
       WHERE EXISTS (SELECT 1 FROM chat_sessions WHERE id = $2) AND NOT EXISTS (SELECT 1 FROM chat_messages WHERE id = $1)
       RETURNING id`,
      [m.id, m.sessionId, m.projectId, m.userId, m.content, JSON.stringify(m.parts), m.status, m.createdAt, m.mode ?? null],
    );
    inserted += rows.length;
  }
  return inserted;
}

/**
 * Sessions whose newest message is the user's had a turn that never ended: the server stopped without storing its
 * answer (a crash or a kill; a clean stop stores it). Each gets a failed answer saying `note`. Returns how many.
 */
export async function answerInterruptedTurns(db: Queryable, note: string): Promise<number> {
  const open = await db.all<{ session_id: string; project_id: string; user_id: string }>(
    `SELECT session_id, project_id, user_id FROM (
       SELECT session_id, project_id, user_id, role, row_number() OVER (PARTITION BY session_id ORDER BY created_at DESC, id DESC) AS newest
       FROM chat_messages
     ) WHERE newest = 1 AND role = 'user'`,
  );
  const createdAt = new Date().toISOString();
  await Promise.all(
    open.map((s) =>
      insertChatMessage(db, {
        id: randomUUID(),
        sessionId: s.session_id,
        projectId: s.project_id,
        userId: s.user_id,
        role: "assistant",
        content: note,
        parts: [{ type: "text", text: note }],
        status: "failed",
        model: null,
        createdAt,
      }),
    ),
  );
  return open.length;
}

/** Adds `part` to the end of a stored message's parts (e.g. why the auto-fix loop stopped after that answer). */
export async function appendMessagePart(
  db: Queryable,
  { id, projectId, part }: { id: string; projectId: string; part: Record<string, unknown> },
): Promise<void> {
  await db.run(
    "UPDATE chat_messages SET parts = to_json(list_append(coalesce(CAST(parts AS JSON[]), []::JSON[]), $1::JSON)) WHERE id = $2 AND project_id = $3",
    [JSON.stringify(part), id, projectId],
  );
}
