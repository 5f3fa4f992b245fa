import type { ContainerProject } from "@/prisma-free-db/queries/containers";
import { singleton } from "@/lib/shared/singleton";

// Slug → project for the preview proxy, shared by server.ts's module copy (which serves previews) and the route
// bundles' (which delete projects and must forget their slugs: a new project may take a deleted one's slug at once).
// Short-lived, so a missed invalidation heals itself.
const TTL_MS = 5000;
const cache = () => singleton("previewSlugs", () => new Map<string, { project: ContainerProject; at: number }>());

/** The slug's project when it is cached and fresh; undefined means "not known", not "no such project". */
export function cachedProject(slug: string): ContainerProject | undefined {
  const hit = cache().get(slug);
  return hit && Date.now() - hit.at < TTL_MS ? hit.project : undefined;
}

/** The slug's project, cached briefly: a preview makes many requests per page. */
export async function cachedProjectForSlug(slug: string, load: () => Promise<ContainerProject | undefined>): Promise<ContainerProject | undefined> {
  const hit = cachedProject(slug);
  if (hit) return hit;
  const project = await load();
  if (cache().size > 5000) cache().clear();
  if (project) cache().set(slug, { project, at: Date.now() });
  else cache().delete(slug);
  return project;
}

export function forgetPreviewSlug(slug: string): void {
  cache().delete(slug);
}
