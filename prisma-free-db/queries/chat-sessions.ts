import type { Database, Queryable } from "../client";
import { isoTime } from "../time";

export interface ChatSession {
  id: string;
  project_id: string;
  user_id: string;
  title: string;
  created_at: string;
  updated_at: string;
}

type Raw = Omit<ChatSession, "created_at" | "updated_at"> & { created_at: unknown; updated_at: unknown };
const toSession = (r: Raw): ChatSession => ({ ...r, created_at: isoTime(r.created_at), updated_at: isoTime(r.updated_at) });
const columns = "id, project_id, user_id, coalesce(title, '') AS title, created_at, updated_at";

export async function insertChatSession(db: Queryable, s: { id: string; projectId: string; userId: string; title: string }): Promise<ChatSession> {
  const now = new Date().toISOString();
  await db.run("INSERT INTO chat_sessions (id, project_id, user_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $5::TIMESTAMPTZ, $5::TIMESTAMPTZ)", [
    s.id,
    s.projectId,
    s.userId,
    s.title,
    now,
  ]);
  return { id: s.id, project_id: s.projectId, user_id: s.userId, title: s.title, created_at: now, updated_at: now };
}

/** A session only if `userId` owns it (another user's session is indistinguishable from a missing one). */
export async function getOwnedChatSession(db: Queryable, { id, userId }: { id: string; userId: string }): Promise<ChatSession | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM chat_sessions WHERE id = $1 AND user_id = $2`, [id, userId]);
  return row && toSession(row);
}

export async function renameChatSession(db: Queryable, { id, title }: { id: string; title: string }): Promise<void> {
  await db.run("UPDATE chat_sessions SET title = $2 WHERE id = $1", [id, title]);
}

/**
 * Removes a session and its messages (and their undo marks) in one transaction. Usage rows stay: they are the
 * user's billing record (GET /tokens/usage/{session_id} still answers from them).
 */
export async function deleteChatSession(db: Database, { id }: { id: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run("DELETE FROM turn_undos WHERE message_id IN (SELECT id FROM chat_messages WHERE session_id = $1)", [id]);
    await tx.run("DELETE FROM chat_messages WHERE session_id = $1", [id]);
    await tx.run("DELETE FROM chat_sessions WHERE id = $1", [id]);
  });
}

export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
}

/**
 * The session's latest messages, oldest first: what the model sees of earlier turns. `undone` marks an answer
 * whose file changes the user undid; `images` counts the images a user message carried.
 */
export async function listSessionHistory(
  db: Queryable,
  { sessionId, limit }: { sessionId: string; limit: number },
): Promise<Array<HistoryMessage & { id: string; undone: boolean; images: number }>> {
  const rows = await db.all<HistoryMessage & { id: string; undone: boolean; user_parts: unknown }>(
    `SELECT id, role, content, undone, user_parts FROM (
       SELECT m.id, m.role, m.content, m.created_at, u.message_id IS NOT NULL AS undone, CASE WHEN m.role = 'user' THEN m.parts END AS user_parts
       FROM chat_messages m LEFT JOIN turn_undos u ON u.message_id = m.id
       WHERE m.session_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT $2
     ) ORDER BY created_at, id`,
    [sessionId, limit],
  );
  return rows.map(({ user_parts, ...m }) => ({ ...m, images: imageCount(user_parts) }));
}

function imageCount(parts: unknown): number {
  let list: unknown = parts;
  if (typeof parts === "string") {
    try {
      list = JSON.parse(parts);
    } catch {
      return 0;
    }
  }
  return Array.isArray(list) ? list.filter((p) => (p as { type?: unknown } | null)?.type === "image").length : 0;
}
