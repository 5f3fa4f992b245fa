import type { Queryable } from "../client";

/** What the container manager needs to know about a project (no ownership filter: callers check it). */
export interface ContainerProject {
  id: string;
  owner_id: string;
  slug: string;
  template: string;
}

export async function getContainerProject(db: Queryable, { id }: { id: string }): Promise<ContainerProject | undefined> {
  return db.one<ContainerProject>("SELECT id::VARCHAR AS id, owner_id::VARCHAR AS owner_id, slug, template FROM projects WHERE id = $1", [id]);
}

export async function getContainerProjectBySlug(db: Queryable, { slug }: { slug: string }): Promise<ContainerProject | undefined> {
  return db.one<ContainerProject>("SELECT id::VARCHAR AS id, owner_id::VARCHAR AS owner_id, slug, template FROM projects WHERE slug = $1", [slug]);
}

/** Which of `ids` still exist (for reconcile). */
export async function existingProjectIds(db: Queryable, { ids }: { ids: string[] }): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const placeholders = ids.map((_, i) => `$${i + 1}`).join(", ");
  const rows = await db.all<{ id: string }>(`SELECT id::VARCHAR AS id FROM projects WHERE id::VARCHAR IN (${placeholders})`, ids);
  return new Set(rows.map((r) => r.id));
}
