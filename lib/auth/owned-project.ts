import { notFound } from "@/lib/errors";
import { getDb } from "@/prisma-free-db/client";
import { getOwnedProject, type Project } from "@/prisma-free-db/queries/projects";

/** The caller's project or 404 (another user's project is indistinguishable from a missing one). */
export async function requireOwnedProject(ownerId: string, id: string): Promise<Project> {
  const project = await getOwnedProject(await getDb(), { id, ownerId });
  if (!project) throw notFound("Project");
  return project;
}
