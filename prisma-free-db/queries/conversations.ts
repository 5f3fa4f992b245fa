import type { Queryable } from "../client";
import { RowInsert } from "../row-insert";
import { deleteProjectAttachments } from "./attachments";
import { isoTime, isoTimeOrNull } from "../time";

export interface ConversationMessage {
  id: string;
  session_id: string;
  project_id: string;
  user_id: string;
  role: string;
  content: string;
  parts: unknown;
  status: string;
  model: string | null;
  checkpoint_before: string | null;
  checkpoint_after: string | null;
  created_at: string;
  /** When the user undid this turn (or an earlier one, which reverted this one's changes too); null if not undone. */
  undone_at: string | null;
  /** "plan" for a plan-mode message and its answer; null for a build turn. */
  mode: "plan" | null;
}

type Raw = Omit<ConversationMessage, "created_at" | "parts" | "undone_at"> & { created_at: unknown; parts: unknown; undone_at: unknown };

function toMessage(r: Raw): ConversationMessage {
  let parts: unknown = r.parts ?? null;
  if (typeof parts === "string") {
    try {
      parts = JSON.parse(parts);
    } catch {
      /* keep the raw text */
    }
  }
  return { ...r, parts, created_at: isoTime(r.created_at), undone_at: isoTimeOrNull(r.undone_at) };
}

const columns =
  "m.id, m.session_id, m.project_id, m.user_id, m.role, m.content, m.parts, m.status, m.model, m.checkpoint_before, m.checkpoint_after, m.created_at, u.created_at AS undone_at, m.mode";
const fromMessages = "chat_messages m LEFT JOIN turn_undos u ON u.message_id = m.id";

/**
 * A page of a project's chat messages (optionally of one session) that ends just before the message `before` (or
 * at the newest message when `before` is null), oldest first within the page. `hasMore` says older ones remain;
 * undefined when `before` is not a message of this project (and session).
 */
export async function listMessagesBefore(
  db: Queryable,
  { projectId, sessionId, before, limit }: { projectId: string; sessionId?: string; before: string | null; limit: number },
): Promise<{ items: ConversationMessage[]; hasMore: boolean; total: number } | undefined> {
  const params: Array<string | number> = [projectId];
  let filter = "m.project_id = $1";
  if (sessionId) {
    params.push(sessionId);
    filter += ` AND m.session_id = $${params.length}`;
  }
  const scope = filter;
  if (before) {
    const cursor = await db.one<{ id: string }>(`SELECT m.id FROM chat_messages m WHERE ${scope} AND m.id = $${params.length + 1}`, [...params, before]);
    if (!cursor) return undefined;
    params.push(before);
    filter += " AND (m.created_at < c.created_at OR (m.created_at = c.created_at AND m.id < c.id))";
  }
  const from = before ? `${fromMessages}, (SELECT created_at, id FROM chat_messages WHERE id = $${params.length}) c` : fromMessages;
  const rows = await db.all<Raw>(`SELECT ${columns} FROM ${from} WHERE ${filter} ORDER BY m.created_at DESC, m.id DESC LIMIT $${params.length + 1}`, [
    ...params,
    limit + 1,
  ]);
  const count = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM chat_messages m WHERE ${scope}`, params.slice(0, sessionId ? 2 : 1));
  return { items: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit, total: count?.n ?? 0 };
}

/** A project's chat messages, oldest first, optionally of one session. */
export async function listProjectMessages(
  db: Queryable,
  { projectId, sessionId, limit, offset }: { projectId: string; sessionId?: string; limit: number; offset: number },
): Promise<{ items: ConversationMessage[]; total: number }> {
  const filter = sessionId ? "m.project_id = $1 AND m.session_id = $2" : "m.project_id = $1";
  const params = sessionId ? [projectId, sessionId] : [projectId];
  const n = params.length;
  const rows = await db.all<Raw>(`SELECT ${columns} FROM ${fromMessages} WHERE ${filter} ORDER BY m.created_at, m.id LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...params,
    limit,
    offset,
  ]);
  const count = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM chat_messages m WHERE ${filter}`, params);
  return { items: rows.map(toMessage), total: count?.n ?? 0 };
}

export interface ConversationSession {
  id: string;
  title: string | null;
  created_at: string | null;
  updated_at: string | null;
  message_count: number;
}

/**
 * A project's chat sessions, newest activity first. A session's updated_at is its newest message's time (or the
 * session row's own, if later): derived here so a turn writes no UPDATE.
 */
export async function listProjectSessions(db: Queryable, { projectId }: { projectId: string }): Promise<ConversationSession[]> {
  const rows = await db.all<{ id: string; title: string | null; created_at: unknown; updated_at: unknown; message_count: number }>(
    `SELECT s.id, s.title, s.created_at, greatest(s.updated_at, m.last_at) AS updated_at, coalesce(m.n, 0)::INTEGER AS message_count
     FROM chat_sessions s
     LEFT JOIN (SELECT session_id, count(*) AS n, max(created_at) AS last_at FROM chat_messages WHERE project_id = $1 GROUP BY session_id) m ON m.session_id = s.id
     WHERE s.project_id = $1 ORDER BY greatest(s.updated_at, m.last_at) DESC, s.id`,
    [projectId],
  );
  return rows.map((r) => ({ ...r, created_at: isoTimeOrNull(r.created_at), updated_at: isoTimeOrNull(r.updated_at) }));
}

export interface SessionSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  message_count: number;
  /** The start of the newest message (up to PREVIEW_CHARS characters); null for a session without messages. */
  last_message_preview: string | null;
}

export const PREVIEW_CHARS = 120;

/** The caller's chat sessions of a project, newest activity first (see listProjectSessions), one page. */
export async function listUserSessions(
  db: Queryable,
  { projectId, userId, limit, offset }: { projectId: string; userId: string; limit: number; offset: number },
): Promise<{ items: SessionSummary[]; total: number }> {
  const rows = await db.all<Omit<SessionSummary, "created_at" | "updated_at"> & { created_at: unknown; updated_at: unknown }>(
    `SELECT s.id, coalesce(s.title, '') AS title, s.created_at, greatest(s.updated_at, m.last_at) AS updated_at, coalesce(m.n, 0)::INTEGER AS message_count,
            left(m.last_content, ${PREVIEW_CHARS}) AS last_message_preview
     FROM chat_sessions s
     LEFT JOIN (SELECT session_id, count(*) AS n, max(created_at) AS last_at, arg_max(content, created_at) AS last_content
                FROM chat_messages WHERE project_id = $1 GROUP BY session_id) m ON m.session_id = s.id
     WHERE s.project_id = $1 AND s.user_id = $2 ORDER BY greatest(s.updated_at, m.last_at) DESC, s.id LIMIT $3 OFFSET $4`,
    [projectId, userId, limit, offset],
  );
  const count = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM chat_sessions WHERE project_id = $1 AND user_id = $2", [projectId, userId]);
  return { items: rows.map((r) => ({ ...r, created_at: isoTime(r.created_at), updated_at: isoTime(r.updated_at) })), total: count?.n ?? 0 };
}

/** One message of a project; undefined when it is not there (or belongs to another project). */
export async function getProjectMessage(db: Queryable, { projectId, id }: { projectId: string; id: string }): Promise<ConversationMessage | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM ${fromMessages} WHERE m.project_id = $1 AND m.id = $2`, [projectId, id]);
  return row && toMessage(row);
}

/**
 * The project's turns that changed files and are not undone, from `from` (a message) on, oldest first: what
 * restoring the files to before `from` reverts.
 */
export async function changingTurnsSince(
  db: Queryable,
  { projectId, from }: { projectId: string; from: { id: string } },
): Promise<Array<{ id: string; session_id: string }>> {
  return db.all<{ id: string; session_id: string }>(
    `SELECT m.id, m.session_id FROM ${fromMessages}, chat_messages f
     WHERE f.id = $2 AND m.project_id = $1 AND m.role = 'assistant' AND u.message_id IS NULL
       AND m.checkpoint_after IS NOT NULL AND m.checkpoint_after IS DISTINCT FROM m.checkpoint_before
       AND (m.created_at > f.created_at OR (m.created_at = f.created_at AND m.id >= f.id))
     ORDER BY m.created_at, m.id`,
    [projectId, from.id],
  );
}

/**
 * The chat turns that made the given checkpoints (an answer's checkpoint_after), each with its prompt: the newest
 * user message of the session at or before the answer.
 */
export async function turnsForCheckpoints(
  db: Queryable,
  { projectId, checkpoints }: { projectId: string; checkpoints: string[] },
): Promise<Array<{ checkpoint: string; message_id: string; session_id: string; prompt: string | null }>> {
  if (checkpoints.length === 0) return [];
  const list = checkpoints.map((_, i) => `$${i + 2}`).join(", ");
  return db.all(
    `SELECT m.checkpoint_after AS checkpoint, m.id AS message_id, m.session_id,
       (SELECT q.content FROM chat_messages q
        WHERE q.session_id = m.session_id AND q.role = 'user' AND (q.created_at < m.created_at OR (q.created_at = m.created_at AND q.id < m.id))
        ORDER BY q.created_at DESC, q.id DESC LIMIT 1) AS prompt
     FROM chat_messages m
     WHERE m.project_id = $1 AND m.role = 'assistant' AND m.checkpoint_after IN (${list})
       AND m.checkpoint_after IS DISTINCT FROM m.checkpoint_before`,
    [projectId, ...checkpoints],
  );
}

const turnUndos = new RowInsert("turn_undos", ["message_id", "project_id", "undone_with", "checkpoint", "created_at::TIMESTAMPTZ"]);

/** Records, in one statement, that `messageIds` were undone by undoing `undoneWith`, which created `checkpoint`. */
export async function recordUndos(
  db: Queryable,
  { projectId, messageIds, undoneWith, checkpoint }: { projectId: string; messageIds: string[]; undoneWith: string; checkpoint: string },
): Promise<string> {
  const undoneAt = new Date().toISOString();
  if (messageIds.length === 0) return undoneAt;
  await db.run(
    turnUndos.sql(messageIds.length),
    messageIds.flatMap((id) => [id, projectId, undoneWith, checkpoint, undoneAt]),
  );
  return undoneAt;
}

/** Removes every chat row (and attachment row) of a project (called inside the project-delete transaction). */
export async function deleteProjectConversations(db: Queryable, { projectId }: { projectId: string }): Promise<void> {
  await db.run("DELETE FROM turn_undos WHERE project_id = $1", [projectId]);
  await deleteProjectAttachments(db, { projectId });
  await db.run("DELETE FROM chat_messages WHERE project_id = $1", [projectId]);
  await db.run("DELETE FROM chat_sessions WHERE project_id = $1", [projectId]);
}
