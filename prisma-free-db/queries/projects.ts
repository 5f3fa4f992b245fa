import type { Queryable } from "../client";
import { isoTime } from "../time";

export interface Project {
  id: string;
  owner_id: string;
  name: string;
  slug: string;
  template: string;
  description: string;
  /** The model the project's last turn asked for (null: none yet). */
  last_model: string | null;
  /** Automatic fix-up turns after a turn that left new errors in the preview. */
  auto_fix: boolean;
  created_at: string;
  updated_at: string;
}

type Raw = Omit<Project, "created_at" | "updated_at"> & { created_at: unknown; updated_at: unknown };
const toProject = (r: Raw): Project => ({ ...r, auto_fix: r.auto_fix !== false, created_at: isoTime(r.created_at), updated_at: isoTime(r.updated_at) });
const columns = "id, owner_id, name, slug, template, description, last_model, auto_fix, created_at, updated_at";

/** A project only if `ownerId` owns it: another user's project is indistinguishable from a missing one. */
export async function getOwnedProject(db: Queryable, { id, ownerId }: { id: string; ownerId: string }): Promise<Project | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM projects WHERE id = $1 AND owner_id = $2`, [id, ownerId]);
  return row && toProject(row);
}

export async function getProjectBySlug(db: Queryable, { slug }: { slug: string }): Promise<Project | undefined> {
  const row = await db.one<Raw>(`SELECT ${columns} FROM projects WHERE slug = $1`, [slug]);
  return row && toProject(row);
}

export async function listProjects(
  db: Queryable,
  { ownerId, limit, offset }: { ownerId: string; limit: number; offset: number },
): Promise<{ items: Project[]; total: number }> {
  const rows = await db.all<Raw>(`SELECT ${columns} FROM projects WHERE owner_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`, [
    ownerId,
    limit,
    offset,
  ]);
  const count = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM projects WHERE owner_id = $1", [ownerId]);
  return { items: rows.map(toProject), total: count?.n ?? 0 };
}

export async function insertProject(
  db: Queryable,
  p: { id: string; ownerId: string; name: string; slug: string; template: string; description: string },
): Promise<void> {
  await db.run("INSERT INTO projects (id, owner_id, name, slug, template, description) VALUES ($1, $2, $3, $4, $5, $6)", [
    p.id,
    p.ownerId,
    p.name,
    p.slug,
    p.template,
    p.description,
  ]);
}

export async function projectNameTaken(db: Queryable, { ownerId, name }: { ownerId: string; name: string }): Promise<boolean> {
  return Boolean(await db.one("SELECT 1 FROM projects WHERE owner_id = $1 AND name = $2", [ownerId, name]));
}

export async function slugTaken(db: Queryable, { slug }: { slug: string }): Promise<boolean> {
  return Boolean(await db.one("SELECT 1 FROM projects WHERE slug = $1", [slug]));
}

export async function updateProject(
  db: Queryable,
  { id, ownerId, name, description, autoFix }: { id: string; ownerId: string; name: string; description: string; autoFix: boolean },
): Promise<void> {
  await db.run("UPDATE projects SET name = $3, description = $4, auto_fix = $5, updated_at = now() WHERE id = $1 AND owner_id = $2", [
    id,
    ownerId,
    name,
    description,
    autoFix,
  ]);
}

/** Remembers the model a turn asked for; not an edit of the project, so `updated_at` stays. */
export async function setProjectLastModel(db: Queryable, { id, model }: { id: string; model: string }): Promise<void> {
  await db.run("UPDATE projects SET last_model = $2 WHERE id = $1", [id, model]);
}

export async function deleteProjectRow(db: Queryable, { id, ownerId }: { id: string; ownerId: string }): Promise<void> {
  await db.run("DELETE FROM projects WHERE id = $1 AND owner_id = $2", [id, ownerId]);
}
