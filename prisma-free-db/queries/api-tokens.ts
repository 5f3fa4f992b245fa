import type { Queryable } from "../client";
import { isoTime, isoTimeOrNull } from "../time";

export interface ApiToken {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

type Raw = Omit<ApiToken, "created_at" | "last_used_at" | "revoked_at"> & Record<"created_at" | "last_used_at" | "revoked_at", unknown>;
const toToken = (r: Raw): ApiToken => ({
  ...r,
  created_at: isoTime(r.created_at),
  last_used_at: isoTimeOrNull(r.last_used_at),
  revoked_at: isoTimeOrNull(r.revoked_at),
});
const columns = "id, user_id, name, prefix, created_at, last_used_at, revoked_at";

export async function insertApiToken(db: Queryable, t: { id: string; userId: string; name: string; prefix: string; tokenHash: string }): Promise<void> {
  await db.run("INSERT INTO api_tokens (id, user_id, name, prefix, token_hash) VALUES ($1, $2, $3, $4, $5)", [t.id, t.userId, t.name, t.prefix, t.tokenHash]);
}

export async function getApiToken(db: Queryable, { id, userId }: { id: string; userId: string }): Promise<ApiToken | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM api_tokens WHERE id = $1 AND user_id = $2`, [id, userId]);
  return row && toToken(row);
}

/** Active (not revoked) token by the hash of its secret. */
export async function findActiveApiTokenByHash(db: Queryable, { tokenHash }: { tokenHash: string }): Promise<ApiToken | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash]);
  return row && toToken(row);
}

export async function listApiTokens(db: Queryable, { userId }: { userId: string }): Promise<ApiToken[]> {
  const rows = await db.all<Raw>(`SELECT ${columns} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC`, [userId]);
  return rows.map(toToken);
}

export async function revokeApiToken(db: Queryable, { id, userId }: { id: string; userId: string }): Promise<void> {
  await db.run("UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL", [id, userId]);
}

export async function touchApiToken(db: Queryable, { id }: { id: string }): Promise<void> {
  await db.run("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [id]);
}
