import type { Queryable } from "../client";
import { isoTime } from "../time";

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
const vercelColumns = "id, project_id, owner_id, vercel_id, vercel_project, url, state, checkpoint_sha, file_count, uploaded_count, error, created_at, updated_at";

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
  const rows = await db.all<RawVercel>(
    `SELECT ${vercelColumns} FROM vercel_deployments WHERE project_id = $1 AND owner_id = $2 ORDER BY created_at DESC, id`,
    [projectId, ownerId],
  );
  return rows.map(toVercel);
}
