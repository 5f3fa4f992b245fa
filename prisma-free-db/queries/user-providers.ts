import type { Queryable } from "../client";
import { isoTime, isoTimeOrNull } from "../time";

export interface UserProviderRow {
  user_id: string;
  provider: string;
  api_key_sealed: string | null;
  key_hint: string | null;
  base_url: string | null;
  last_tested_at: string | null;
  created_at: string;
  updated_at: string;
}

type Raw = Omit<UserProviderRow, "last_tested_at" | "created_at" | "updated_at"> & Record<"last_tested_at" | "created_at" | "updated_at", unknown>;
const toRow = (r: Raw): UserProviderRow => ({
  ...r,
  last_tested_at: isoTimeOrNull(r.last_tested_at),
  created_at: isoTime(r.created_at),
  updated_at: isoTime(r.updated_at),
});
const columns = "user_id, provider, api_key_sealed, key_hint, base_url, last_tested_at, created_at, updated_at";

/** The user's configured providers, most recently updated first. */
export async function listUserProviders(db: Queryable, { userId }: { userId: string }): Promise<UserProviderRow[]> {
  const rows = await db.all<Raw>(`SELECT ${columns} FROM user_providers WHERE user_id = $1 ORDER BY updated_at DESC, provider`, [userId]);
  return rows.map(toRow);
}

export async function getUserProvider(db: Queryable, { userId, provider }: { userId: string; provider: string }): Promise<UserProviderRow | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM user_providers WHERE user_id = $1 AND provider = $2`, [userId, provider]);
  return row && toRow(row);
}

/** Stores (or replaces) one provider's settings; a changed setting clears the last test. */
export async function upsertUserProvider(
  db: Queryable,
  p: { userId: string; provider: string; apiKeySealed: string | null; keyHint: string | null; baseUrl: string | null },
): Promise<void> {
  await db.run(
    `INSERT INTO user_providers (user_id, provider, api_key_sealed, key_hint, base_url) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id, provider) DO UPDATE SET api_key_sealed = excluded.api_key_sealed, key_hint = excluded.key_hint,
       base_url = excluded.base_url, last_tested_at = NULL, updated_at = now()`,
    [p.userId, p.provider, p.apiKeySealed, p.keyHint, p.baseUrl],
  );
}

export async function markUserProviderTested(db: Queryable, { userId, provider }: { userId: string; provider: string }): Promise<void> {
  await db.run("UPDATE user_providers SET last_tested_at = now() WHERE user_id = $1 AND provider = $2", [userId, provider]);
}

export async function deleteUserProvider(db: Queryable, { userId, provider }: { userId: string; provider: string }): Promise<void> {
  await db.run("DELETE FROM user_providers WHERE user_id = $1 AND provider = $2", [userId, provider]);
}
