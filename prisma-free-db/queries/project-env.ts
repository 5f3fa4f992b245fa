import type { Queryable } from "../client";
import { isoTime } from "../time";

export interface ProjectEnvRow {
  project_id: string;
  key: string;
  position: number;
  secret: boolean;
  value: string | null;
  value_sealed: string | null;
  hint: string | null;
  updated_at: string;
}

type Raw = Omit<ProjectEnvRow, "updated_at"> & { updated_at: unknown };

/** The project's variables in the order they were saved. */
export async function listProjectEnv(db: Queryable, { projectId }: { projectId: string }): Promise<ProjectEnvRow[]> {
  const rows = await db.all<Raw>(
    "SELECT project_id, key, position, secret, value, value_sealed, hint, updated_at FROM project_env WHERE project_id = $1 ORDER BY position",
    [projectId],
  );
  return rows.map((r) => ({ ...r, updated_at: isoTime(r.updated_at) }));
}

/** Replaces the whole list (call inside a transaction). */
export async function replaceProjectEnv(
  tx: Queryable,
  { projectId, rows }: { projectId: string; rows: Pick<ProjectEnvRow, "key" | "secret" | "value" | "value_sealed" | "hint">[] },
): Promise<void> {
  await tx.run("DELETE FROM project_env WHERE project_id = $1", [projectId]);
  for (const [position, r] of rows.entries()) {
    await tx.run("INSERT INTO project_env (project_id, key, position, secret, value, value_sealed, hint) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
      projectId,
      r.key,
      position,
      r.secret,
      r.value,
      r.value_sealed,
      r.hint,
    ]);
  }
}

export async function deleteProjectEnv(tx: Queryable, { projectId }: { projectId: string }): Promise<void> {
  await tx.run("DELETE FROM deployment_env WHERE deployment_id IN (SELECT id FROM deployments WHERE project_id = $1)", [projectId]);
  await tx.run("DELETE FROM project_env WHERE project_id = $1", [projectId]);
}

export async function putDeploymentEnv(db: Queryable, { deploymentId, envSealed }: { deploymentId: string; envSealed: string }): Promise<void> {
  await db.run(
    "INSERT INTO deployment_env (deployment_id, env_sealed) VALUES ($1, $2) ON CONFLICT (deployment_id) DO UPDATE SET env_sealed = excluded.env_sealed",
    [deploymentId, envSealed],
  );
}

export async function getDeploymentEnv(db: Queryable, { deploymentId }: { deploymentId: string }): Promise<string | undefined> {
  return (await db.one<{ env_sealed: string }>("SELECT env_sealed FROM deployment_env WHERE deployment_id = $1", [deploymentId]))?.env_sealed;
}
