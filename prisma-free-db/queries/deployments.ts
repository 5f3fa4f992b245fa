import type { Queryable } from "../client";
import { isoTime, isoTimeOrNull } from "../time";

// ---------- Vercel deployments ----------

export interface VercelDeploymentRow {
  id: string;
  project_id: string;
  owner_id: string;
  vercel_id: string;
  vercel_project: string;
  url: string;
  state: "QUEUED" | "INITIALIZING" | "BUILDING" | "READY" | "ERROR" | "CANCELED";
  checkpoint_sha: string;
  file_count: number;
  uploaded_count: number;
  error: string | null;
  created_at: string;
  updated_at: string;
}

type RawVercel = Omit<VercelDeploymentRow, "created_at" | "updated_at"> & Record<"created_at" | "updated_at", unknown>;
const toVercel = (r: RawVercel): VercelDeploymentRow => ({ ...r, created_at: isoTime(r.created_at), updated_at: isoTime(r.updated_at) });
const vercelColumns =
  "id, project_id, owner_id, vercel_id, vercel_project, url, state, checkpoint_sha, file_count, uploaded_count, error, created_at, updated_at";

export async function insertVercelDeployment(
  db: Queryable,
  d: Pick<VercelDeploymentRow, "id" | "vercel_id" | "vercel_project" | "url" | "state" | "checkpoint_sha" | "file_count" | "uploaded_count"> & {
    projectId: string;
    ownerId: string;
  },
): Promise<void> {
  await db.run(
    `INSERT INTO vercel_deployments (id, project_id, owner_id, vercel_id, vercel_project, url, state, checkpoint_sha, file_count, uploaded_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [d.id, d.projectId, d.ownerId, d.vercel_id, d.vercel_project, d.url, d.state, d.checkpoint_sha, d.file_count, d.uploaded_count],
  );
}

export async function updateVercelDeploymentState(
  db: Queryable,
  { id, state, url, error }: { id: string; state: VercelDeploymentRow["state"]; url: string; error: string | null },
): Promise<void> {
  await db.run("UPDATE vercel_deployments SET state = $2, url = $3, error = $4, updated_at = now() WHERE id = $1", [id, state, url, error]);
}

export async function getVercelDeployment(db: Queryable, { id }: { id: string }): Promise<VercelDeploymentRow | undefined> {
  const row = await db.one<RawVercel>(`SELECT ${vercelColumns} FROM vercel_deployments WHERE id = $1`, [id]);
  return row && toVercel(row);
}

export async function listVercelDeployments(db: Queryable, { projectId, ownerId }: { projectId: string; ownerId: string }): Promise<VercelDeploymentRow[]> {
  const rows = await db.all<RawVercel>(`SELECT ${vercelColumns} FROM vercel_deployments WHERE project_id = $1 AND owner_id = $2 ORDER BY created_at DESC, id`, [
    projectId,
    ownerId,
  ]);
  return rows.map(toVercel);
}

// ---------- Preview deployments (built and served by Slipway) ----------

export type DeploymentState = "queued" | "building" | "ready" | "failed";
export type Visibility = "private" | "public";

export interface DeploymentRow {
  id: string;
  project_id: string;
  owner_id: string;
  checkpoint_sha: string;
  state: DeploymentState;
  visibility: Visibility;
  log: string;
  error: string | null;
  /** Server-side deployments: the template's production start command, run in a container on `port`; null for static ones. */
  start_command: string | null;
  port: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

type RawDeployment = Omit<DeploymentRow, "created_at" | "started_at" | "finished_at"> & Record<"created_at" | "started_at" | "finished_at", unknown>;
const toDeployment = (r: RawDeployment): DeploymentRow => ({
  ...r,
  created_at: isoTime(r.created_at),
  started_at: isoTimeOrNull(r.started_at),
  finished_at: isoTimeOrNull(r.finished_at),
});
const deploymentColumns = "id, project_id, owner_id, checkpoint_sha, state, visibility, log, error, start_command, port, created_at, started_at, finished_at";

export async function insertDeployment(
  db: Queryable,
  d: { id: string; projectId: string; ownerId: string; checkpointSha: string; visibility: Visibility; startCommand: string | null; port: number | null },
): Promise<void> {
  await db.run(
    "INSERT INTO deployments (id, project_id, owner_id, checkpoint_sha, state, visibility, start_command, port) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)",
    [d.id, d.projectId, d.ownerId, d.checkpointSha, d.visibility, d.startCommand, d.port],
  );
}

export async function getDeployment(db: Queryable, { id }: { id: string }): Promise<DeploymentRow | undefined> {
  const row = await db.one<RawDeployment>(`SELECT ${deploymentColumns} FROM deployments WHERE id = $1`, [id]);
  return row && toDeployment(row);
}

export async function listDeployments(
  db: Queryable,
  { projectId, ownerId, limit, offset }: { projectId: string; ownerId: string; limit: number; offset: number },
): Promise<{ items: DeploymentRow[]; total: number }> {
  const rows = await db.all<RawDeployment>(
    `SELECT ${deploymentColumns} FROM deployments WHERE project_id = $1 AND owner_id = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
    [projectId, ownerId, limit, offset],
  );
  const count = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM deployments WHERE project_id = $1 AND owner_id = $2", [projectId, ownerId]);
  return { items: rows.map(toDeployment), total: count?.n ?? 0 };
}

export async function markDeploymentBuilding(db: Queryable, { id }: { id: string }): Promise<void> {
  await db.run("UPDATE deployments SET state = 'building', started_at = now() WHERE id = $1", [id]);
}

/** Appends build output to the stored log while the build runs (followers read it from here). */
export async function appendDeploymentLog(db: Queryable, { id, text }: { id: string; text: string }): Promise<void> {
  await db.run("UPDATE deployments SET log = log || $2 WHERE id = $1", [id, text]);
}

/** The log from byte offset `from` (characters) on, with the state: what a log follower polls. */
export async function deploymentLogSince(
  db: Queryable,
  { id, from }: { id: string; from: number },
): Promise<{ text: string; length: number; state: DeploymentState; error: string | null } | undefined> {
  const row = await db.one<{ text: string; length: number; state: DeploymentState; error: string | null }>(
    "SELECT substr(log, $2::INTEGER + 1) AS text, length(log)::INTEGER AS length, state, error FROM deployments WHERE id = $1",
    [id, from],
  );
  return row ?? undefined;
}

/** Ends a build; `logTail` is the part of the log not yet appended. */
export async function finishDeployment(
  db: Queryable,
  { id, state, logTail, error }: { id: string; state: "ready" | "failed"; logTail: string; error: string | null },
): Promise<void> {
  await db.run("UPDATE deployments SET state = $2, log = log || $3, error = $4, finished_at = now() WHERE id = $1", [id, state, logTail, error]);
}

/** Deployments a previous process left unfinished (it stopped mid-build): they failed. */
export async function failInterruptedDeployments(db: Queryable): Promise<void> {
  await db.run(
    "UPDATE deployments SET state = 'failed', error = 'Interrupted: the server stopped during the build', finished_at = now() WHERE state IN ('queued', 'building')",
  );
}

export async function setDeploymentVisibility(db: Queryable, { id, visibility }: { id: string; visibility: Visibility }): Promise<void> {
  await db.run("UPDATE deployments SET visibility = $2 WHERE id = $1", [id, visibility]);
}

/** Run inside a transaction: the row and its promotion (if it is the promoted one) go together. */
export async function deleteDeploymentRow(tx: Queryable, { id }: { id: string }): Promise<void> {
  await tx.run("DELETE FROM deployment_promotions WHERE deployment_id = $1", [id]);
  await tx.run("DELETE FROM deployment_env WHERE deployment_id = $1", [id]);
  await tx.run("DELETE FROM deployments WHERE id = $1", [id]);
}

export async function promoteDeployment(db: Queryable, { projectId, deploymentId }: { projectId: string; deploymentId: string }): Promise<void> {
  await db.run(
    `INSERT INTO deployment_promotions (project_id, deployment_id) VALUES ($1, $2)
     ON CONFLICT (project_id) DO UPDATE SET deployment_id = excluded.deployment_id, promoted_at = now()`,
    [projectId, deploymentId],
  );
}

export async function promotedDeploymentId(db: Queryable, { projectId }: { projectId: string }): Promise<string | undefined> {
  const row = await db.one<{ deployment_id: string }>("SELECT deployment_id FROM deployment_promotions WHERE project_id = $1", [projectId]);
  return row?.deployment_id;
}

/** The deployment served at a project's stable URL, by the project's slug. */
export async function promotedDeploymentBySlug(db: Queryable, { slug }: { slug: string }): Promise<DeploymentRow | undefined> {
  const row = await db.one<RawDeployment>(
    `SELECT ${deploymentColumns
      .split(", ")
      .map((c) => `d.${c}`)
      .join(", ")}
     FROM deployment_promotions p JOIN projects pr ON pr.id = p.project_id JOIN deployments d ON d.id = p.deployment_id
     WHERE pr.slug = $1`,
    [slug],
  );
  return row && toDeployment(row);
}

/** Removes every Ship row of a deleted project; returns the preview deployment ids whose files must go too. */
export async function deleteProjectShipRows(tx: Queryable, { projectId }: { projectId: string }): Promise<string[]> {
  const ids = (await tx.all<{ id: string }>("SELECT id FROM deployments WHERE project_id = $1", [projectId])).map((r) => r.id);
  await tx.run("DELETE FROM deployment_promotions WHERE project_id = $1", [projectId]);
  await tx.run("DELETE FROM deployments WHERE project_id = $1", [projectId]);
  await tx.run("DELETE FROM vercel_deployments WHERE project_id = $1", [projectId]);
  await tx.run("DELETE FROM github_links WHERE project_id = $1", [projectId]);
  return ids;
}
