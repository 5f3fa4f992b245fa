import type { Queryable } from "../client";

export interface Account {
  id: string;
  user_id: string;
  provider: string;
  provider_account_id: string;
}

export async function findAccount(
  db: Queryable,
  { provider, providerAccountId }: { provider: string; providerAccountId: string },
): Promise<Account | undefined> {
  return db.one<Account>("SELECT id, user_id, provider, provider_account_id FROM accounts WHERE provider = $1 AND provider_account_id = $2", [
    provider,
    providerAccountId,
  ]);
}

export async function listAccountsForUser(db: Queryable, { userId }: { userId: string }): Promise<Account[]> {
  return db.all<Account>("SELECT id, user_id, provider, provider_account_id FROM accounts WHERE user_id = $1 ORDER BY provider", [userId]);
}

export async function insertAccount(
  db: Queryable,
  { id, userId, provider, providerAccountId }: { id: string; userId: string; provider: string; providerAccountId: string },
): Promise<void> {
  await db.run("INSERT INTO accounts (id, user_id, provider, provider_account_id) VALUES ($1, $2, $3, $4)", [id, userId, provider, providerAccountId]);
}
