import type { Queryable } from "../client";
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
}

type Raw = Omit<ConversationMessage, "created_at" | "parts"> & { created_at: unknown; parts: unknown };

function toMessage(r: Raw): ConversationMessage {
  let parts: unknown = r.parts ?? null;
  if (typeof parts === "string") {
    try {
      parts = JSON.parse(parts);
    } catch {
      /* keep the raw text */
    }
  }
  return { ...r, parts, created_at: isoTime(r.created_at) };
}

const columns = "id, session_id, project_id, user_id, role, content, parts, status, model, checkpoint_before, checkpoint_after, created_at";

/** A project's chat messages, oldest first, optionally of one session. */
export async function listProjectMessages(
  db: Queryable,
  { projectId, sessionId, limit, offset }: { projectId: string; sessionId?: string; limit: number; offset: number },
): Promise<{ items: ConversationMessage[]; total: number }> {
  const filter = sessionId ? "project_id = $1 AND session_id = $2" : "project_id = $1";
  const params = sessionId ? [projectId, sessionId] : [projectId];
  const n = params.length;
  const rows = await db.all<Raw>(`SELECT ${columns} FROM chat_messages WHERE ${filter} ORDER BY created_at, id LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...params,
    limit,
    offset,
  ]);
  const count = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM chat_messages WHERE ${filter}`, params);
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

/** Removes every chat row of a project (called inside the project-delete transaction). */
export async function deleteProjectConversations(db: Queryable, { projectId }: { projectId: string }): Promise<void> {
  await db.run("DELETE FROM chat_messages WHERE project_id = $1", [projectId]);
  await db.run("DELETE FROM chat_sessions WHERE project_id = $1", [projectId]);
}
