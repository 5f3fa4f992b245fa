import type { Queryable } from "../client";
import { isoTime, isoTimeOrNull } from "../time";

export type Provider = "github" | "vercel";

export interface Integration {
  id: string;
  user_id: string;
  provider: Provider;
  account_login: string;
  account_id: string;
  team_id: string | null;
  token_sealed: string;
  revoked_at: string | null;
  created_at: string;
  updated_at: string;
}

type RawIntegration = Omit<Integration, "revoked_at" | "created_at" | "updated_at"> & Record<"revoked_at" | "created_at" | "updated_at", unknown>;
const toIntegration = (r: RawIntegration): Integration => ({
  ...r,
  revoked_at: isoTimeOrNull(r.revoked_at),
  created_at: isoTime(r.created_at),
  updated_at: isoTime(r.updated_at),
});
const integrationColumns = "id, user_id, provider, account_login, account_id, team_id, token_sealed, revoked_at, created_at, updated_at";

export async function listIntegrations(db: Queryable, { userId }: { userId: string }): Promise<Integration[]> {
  const rows = await db.all<RawIntegration>(`SELECT ${integrationColumns} FROM integrations WHERE user_id = $1 ORDER BY provider`, [userId]);
  return rows.map(toIntegration);
}

export async function getIntegration(db: Queryable, { userId, provider }: { userId: string; provider: Provider }): Promise<Integration | undefined> {
  const row = await db.one<RawIntegration>(`SELECT ${integrationColumns} FROM integrations WHERE user_id = $1 AND provider = $2`, [userId, provider]);
  return row && toIntegration(row);
}

/** Connects (or reconnects, replacing the token and clearing `revoked_at`) one provider for a user. */
export async function upsertIntegration(
  db: Queryable,
  i: { id: string; userId: string; provider: Provider; accountLogin: string; accountId: string; teamId: string | null; tokenSealed: string },
): Promise<void> {
  await db.run(
    `INSERT INTO integrations (id, user_id, provider, account_login, account_id, team_id, token_sealed)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id, provider) DO UPDATE SET account_login = excluded.account_login, account_id = excluded.account_id,
       team_id = excluded.team_id, token_sealed = excluded.token_sealed, revoked_at = NULL, updated_at = now()`,
    [i.id, i.userId, i.provider, i.accountLogin, i.accountId, i.teamId, i.tokenSealed],
  );
}

export async function markIntegrationRevoked(db: Queryable, { userId, provider }: { userId: string; provider: Provider }): Promise<void> {
  await db.run("UPDATE integrations SET revoked_at = now(), updated_at = now() WHERE user_id = $1 AND provider = $2 AND revoked_at IS NULL", [
    userId,
    provider,
  ]);
}

export async function deleteIntegration(db: Queryable, { userId, provider }: { userId: string; provider: Provider }): Promise<void> {
  await db.run("DELETE FROM integrations WHERE user_id = $1 AND provider = $2", [userId, provider]);
}

export interface GithubLink {
  project_id: string;
  owner_id: string;
  repo_full_name: string;
  html_url: string;
  clone_url: string;
  branch: string;
  private: boolean;
  last_pushed_sha: string | null;
  last_pushed_at: string | null;
  last_pulled_sha: string | null;
  last_pulled_at: string | null;
  created_at: string;
}

type RawLink = Omit<GithubLink, "last_pushed_at" | "last_pulled_at" | "created_at"> & Record<"last_pushed_at" | "last_pulled_at" | "created_at", unknown>;
const toLink = (r: RawLink): GithubLink => ({
  ...r,
  last_pushed_at: isoTimeOrNull(r.last_pushed_at),
  last_pulled_at: isoTimeOrNull(r.last_pulled_at),
  created_at: isoTime(r.created_at),
});
const linkColumns =
  "project_id, owner_id, repo_full_name, html_url, clone_url, branch, private, last_pushed_sha, last_pushed_at, last_pulled_sha, last_pulled_at, created_at";

export async function getGithubLink(db: Queryable, { projectId, ownerId }: { projectId: string; ownerId: string }): Promise<GithubLink | undefined> {
  const row = await db.one<RawLink>(`SELECT ${linkColumns} FROM github_links WHERE project_id = $1 AND owner_id = $2`, [projectId, ownerId]);
  return row && toLink(row);
}

export async function upsertGithubLink(
  db: Queryable,
  l: { projectId: string; ownerId: string; repoFullName: string; htmlUrl: string; cloneUrl: string; branch: string; private: boolean },
): Promise<void> {
  await db.run(
    `INSERT INTO github_links (project_id, owner_id, repo_full_name, html_url, clone_url, branch, private)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (project_id) DO UPDATE SET repo_full_name = excluded.repo_full_name, html_url = excluded.html_url,
       clone_url = excluded.clone_url, branch = excluded.branch, private = excluded.private,
       last_pushed_sha = NULL, last_pushed_at = NULL, last_pulled_sha = NULL, last_pulled_at = NULL`,
    [l.projectId, l.ownerId, l.repoFullName, l.htmlUrl, l.cloneUrl, l.branch, l.private],
  );
}

export async function recordGithubPush(db: Queryable, { projectId, sha }: { projectId: string; sha: string }): Promise<void> {
  await db.run("UPDATE github_links SET last_pushed_sha = $2, last_pushed_at = now() WHERE project_id = $1", [projectId, sha]);
}

export async function recordGithubPull(db: Queryable, { projectId, sha }: { projectId: string; sha: string }): Promise<void> {
  await db.run("UPDATE github_links SET last_pulled_sha = $2, last_pulled_at = now() WHERE project_id = $1", [projectId, sha]);
}

export async function deleteGithubLink(db: Queryable, { projectId }: { projectId: string }): Promise<void> {
  await db.run("DELETE FROM github_links WHERE project_id = $1", [projectId]);
}
