import type { Queryable } from "../client";
import { RowInsert } from "../row-insert";
import { isoTime } from "../time";

export type KeySource = "user" | "server";

export interface TokenUsageRow {
  id: string;
  user_id: string;
  project_id: string;
  session_id: string | null;
  message_id: string | null;
  provider: string;
  /** Whose key paid: the user's own (Settings → Models & keys) or the server's. */
  key_source: KeySource;
  model: string;
  step: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number;
  created_at: string;
}

export interface UsageTotals {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  cost_usd: number;
}

const columns =
  "id, user_id, project_id, session_id, message_id, provider, coalesce(key_source, 'server') AS key_source, model, step, input_tokens::INTEGER AS input_tokens, output_tokens::INTEGER AS output_tokens, cached_tokens::INTEGER AS cached_tokens, cost_usd, created_at";
const totalsSql =
  "count(*)::INTEGER AS calls, coalesce(sum(input_tokens), 0)::BIGINT::DOUBLE AS input_tokens, coalesce(sum(output_tokens), 0)::BIGINT::DOUBLE AS output_tokens, coalesce(sum(cached_tokens), 0)::BIGINT::DOUBLE AS cached_tokens, coalesce(sum(input_tokens + output_tokens), 0)::BIGINT::DOUBLE AS total_tokens, coalesce(sum(cost_usd), 0) AS cost_usd";

type Raw = Omit<TokenUsageRow, "created_at"> & { created_at: unknown };
const toRow = (r: Raw): TokenUsageRow => ({ ...r, created_at: isoTime(r.created_at) });
const emptyTotals: UsageTotals = { calls: 0, input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0, cost_usd: 0 };

const tokenUsage = new RowInsert("token_usage", [
  "id",
  "user_id",
  "project_id",
  "session_id",
  "message_id",
  "provider",
  "key_source",
  "model",
  "step",
  "input_tokens",
  "output_tokens",
  "cached_tokens",
  "cost_usd",
]);

export async function insertTokenUsage(db: Queryable, u: Omit<TokenUsageRow, "created_at" | "message_id"> & { message_id?: string | null }): Promise<void> {
  await db.insert(tokenUsage, [
    u.id,
    u.user_id,
    u.project_id,
    u.session_id,
    u.message_id ?? null,
    u.provider,
    u.key_source,
    u.model,
    u.step,
    u.input_tokens,
    u.output_tokens,
    u.cached_tokens,
    u.cost_usd,
  ]);
}

export async function listSessionUsage(db: Queryable, { sessionId, userId }: { sessionId: string; userId: string }): Promise<TokenUsageRow[]> {
  const rows = await db.all<Raw>(`SELECT ${columns} FROM token_usage WHERE session_id = $1 AND user_id = $2 ORDER BY created_at, step, id`, [
    sessionId,
    userId,
  ]);
  return rows.map(toRow);
}

export async function sessionTotals(db: Queryable, { sessionId, userId }: { sessionId: string; userId: string }): Promise<UsageTotals> {
  return (await db.one<UsageTotals>(`SELECT ${totalsSql} FROM token_usage WHERE session_id = $1 AND user_id = $2`, [sessionId, userId])) ?? emptyTotals;
}

export async function projectTotals(db: Queryable, { projectId, userId }: { projectId: string; userId: string }): Promise<UsageTotals> {
  return (await db.one<UsageTotals>(`SELECT ${totalsSql} FROM token_usage WHERE project_id = $1 AND user_id = $2`, [projectId, userId])) ?? emptyTotals;
}

export async function projectUsageBySession(
  db: Queryable,
  { projectId, userId }: { projectId: string; userId: string },
): Promise<Array<UsageTotals & { session_id: string | null }>> {
  return db.all(`SELECT session_id, ${totalsSql} FROM token_usage WHERE project_id = $1 AND user_id = $2 GROUP BY session_id ORDER BY max(created_at) DESC`, [
    projectId,
    userId,
  ]);
}

export async function projectUsageByModel(
  db: Queryable,
  { projectId, userId }: { projectId: string; userId: string },
): Promise<Array<UsageTotals & { model: string; provider: string; key_source: KeySource }>> {
  return db.all(
    `SELECT provider, model, coalesce(key_source, 'server') AS key_source, ${totalsSql} FROM token_usage WHERE project_id = $1 AND user_id = $2
     GROUP BY provider, model, 3 ORDER BY provider, model, key_source`,
    [projectId, userId],
  );
}

export async function userTotals(db: Queryable, { userId, since }: { userId: string; since: string }): Promise<UsageTotals> {
  return (
    (await db.one<UsageTotals>(`SELECT ${totalsSql} FROM token_usage WHERE user_id = $1 AND created_at >= $2::TIMESTAMPTZ`, [userId, since])) ?? emptyTotals
  );
}

export async function userUsageByDay(db: Queryable, { userId, since }: { userId: string; since: string }): Promise<Array<UsageTotals & { day: string }>> {
  return db.all(
    `SELECT strftime(date_trunc('day', created_at AT TIME ZONE 'UTC'), '%Y-%m-%d') AS day, ${totalsSql}
     FROM token_usage WHERE user_id = $1 AND created_at >= $2::TIMESTAMPTZ GROUP BY 1 ORDER BY 1`,
    [userId, since],
  );
}

export async function userUsageByModel(
  db: Queryable,
  { userId, since }: { userId: string; since: string },
): Promise<Array<UsageTotals & { provider: string; model: string; key_source: KeySource }>> {
  return db.all(
    `SELECT provider, model, coalesce(key_source, 'server') AS key_source, ${totalsSql} FROM token_usage WHERE user_id = $1 AND created_at >= $2::TIMESTAMPTZ
     GROUP BY provider, model, 3 ORDER BY cost_usd DESC, model, key_source`,
    [userId, since],
  );
}

/** Per project; `project_name` is null for a deleted project (its usage rows are kept). */
export async function userUsageByProject(
  db: Queryable,
  { userId, since }: { userId: string; since: string },
): Promise<Array<UsageTotals & { project_id: string; project_name: string | null }>> {
  return db.all(
    `SELECT u.project_id, any_value(p.name) AS project_name, ${totalsSql}
     FROM token_usage u LEFT JOIN projects p ON p.id = u.project_id AND p.owner_id = u.user_id
     WHERE u.user_id = $1 AND u.created_at >= $2::TIMESTAMPTZ GROUP BY u.project_id ORDER BY cost_usd DESC, u.project_id`,
    [userId, since],
  );
}

export async function getTokenBudget(db: Queryable, { projectId }: { projectId: string }): Promise<number | null> {
  const row = await db.one<{ token_budget: number | null }>("SELECT token_budget::DOUBLE AS token_budget FROM project_settings WHERE project_id = $1", [
    projectId,
  ]);
  return row?.token_budget ?? null;
}

export async function setTokenBudget(db: Queryable, { projectId, tokenBudget }: { projectId: string; tokenBudget: number | null }): Promise<void> {
  await db.run(
    `INSERT INTO project_settings (project_id, token_budget) VALUES ($1, $2)
     ON CONFLICT (project_id) DO UPDATE SET token_budget = excluded.token_budget, updated_at = now()`,
    [projectId, tokenBudget],
  );
}

/** For project deletion: settings go with the project (usage rows stay). */
export async function deleteProjectSettings(db: Queryable, { projectId }: { projectId: string }): Promise<void> {
  await db.run("DELETE FROM project_settings WHERE project_id = $1", [projectId]);
}
