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

/** A message as the model's history is built from it (lib/chat/history.ts). */
export interface HistoryRow {
  id: string;
  role: "user" | "assistant";
  content: string;
  parts: unknown;
  created_at: string;
  /** The user undid this answer's file changes. */
  undone: boolean;
  mode: string | null;
}

/**
 * The session's latest messages (at most `limit`) after `after` (a point in (created_at, id) order: the end of
 * the session's summary), oldest first.
 */
export async function listSessionHistory(
  db: Queryable,
  { sessionId, limit, after }: { sessionId: string; limit: number; after?: { at: string; id: string } | null },
): Promise<HistoryRow[]> {
  const rows = await db.all<Omit<HistoryRow, "created_at"> & { created_at: unknown }>(
    `SELECT id, role, content, parts, created_at, undone, mode FROM (
       SELECT m.id, m.role, m.content, m.parts, m.created_at, u.message_id IS NOT NULL AS undone, m.mode
       FROM chat_messages m LEFT JOIN turn_undos u ON u.message_id = m.id
       WHERE m.session_id = $1 AND ($3::TIMESTAMPTZ IS NULL OR (m.created_at, m.id) > ($3::TIMESTAMPTZ, $4::UUID))
       ORDER BY m.created_at DESC, m.id DESC LIMIT $2
     ) ORDER BY created_at, id`,
    [sessionId, limit, after?.at ?? null, after?.id ?? null],
  );
  return rows.map((r) => ({ ...r, created_at: isoTime(r.created_at) }));
}

/** The summary standing for the session's older messages (lib/chat/compaction.ts), or null. */
export async function getSessionSummary(
  db: Queryable,
  { sessionId }: { sessionId: string },
): Promise<{ text: string; throughAt: string; throughId: string } | null> {
  const row = await db.one<{ summary: string | null; through_at: unknown; through_id: string | null }>(
    "SELECT summary, summary_through_at AS through_at, summary_through_id::VARCHAR AS through_id FROM chat_sessions WHERE id = $1",
    [sessionId],
  );
  if (!row?.summary || !row.through_at || !row.through_id) return null;
  return { text: row.summary, throughAt: isoTime(row.through_at), throughId: row.through_id };
}

export async function setSessionSummary(db: Queryable, s: { sessionId: string; text: string; throughAt: string; throughId: string }): Promise<void> {
  await db.run("UPDATE chat_sessions SET summary = $2, summary_through_at = $3::TIMESTAMPTZ, summary_through_id = $4 WHERE id = $1", [
    s.sessionId,
    s.text,
    s.throughAt,
    s.throughId,
  ]);
}
