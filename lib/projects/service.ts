import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { removeProjectAttachments } from "@/lib/attachments/store";
import { removeEvidence } from "@/lib/chat/evidence-files";
import { createCheckpoint } from "@/lib/checkpoints/service";
import { initRepository, removeRepository } from "@/lib/checkpoints/git";
import { ownNewProjectTree, removeProjectContainer, startInBackground } from "@/lib/containers/service";
import { removeArtifact } from "@/lib/deploys/artifacts";
import { invalidateLookups } from "@/lib/deploys/lookup-cache";
import { forgetPreviewSlug } from "@/lib/preview/slug-cache";
import { ApiError } from "@/lib/errors";
import { projectDir } from "@/lib/files/project-dir";
import { removeProjectTree } from "@/lib/files/service";
import { log } from "@/lib/log";
import { requireOwnedProject } from "@/lib/auth/owned-project";
import { getDb } from "@/prisma-free-db/client";
import { deleteProjectConversations } from "@/prisma-free-db/queries/conversations";
import { deleteProjectShipRows } from "@/prisma-free-db/queries/deployments";
import { deleteProjectEnv } from "@/prisma-free-db/queries/project-env";
import { deleteProjectSettings } from "@/prisma-free-db/queries/token-usage";
import {
  deleteProjectRow,
  getOwnedProject,
  insertProject,
  projectNameTaken,
  slugTaken,
  updateProject as updateProjectRow,
  type Project,
} from "@/prisma-free-db/queries/projects";
import { randomProjectName, randomSlugSuffix, slugify } from "./names";
import { linkTemplateDependencies } from "@/lib/templates/cache";
import { getTemplate, listTemplates, templateFilesDir } from "@/lib/templates/catalog";

const logger = log.child({ module: "projects" });

export function requireTemplate(name: string) {
  const template = getTemplate(name);
  if (!template) {
    const valid = listTemplates().map((t) => t.name);
    throw new ApiError("bad_request", `Unknown template "${name}"; valid templates: ${valid.join(", ")}`, {
      fields: [{ path: "body.template", message: `must be one of: ${valid.join(", ")}` }],
      valid_templates: valid,
    });
  }
  return template;
}

const isUniqueViolation = (error: Error) => /unique|duplicate key|constraint/i.test(error.message);

const nameTaken = (name: string) => new ApiError("conflict", `You already have a project named "${name}"`, { field: "name" });

async function uniqueName(ownerId: string): Promise<string> {
  const db = await getDb();
  for (let i = 0; i < 50; i++) {
    const name = randomProjectName();
    if (!(await projectNameTaken(db, { ownerId, name }))) return name;
  }
  return `${randomProjectName()}-${randomSlugSuffix()}`;
}

async function uniqueSlug(name: string): Promise<string> {
  const db = await getDb();
  let slug = slugify(name);
  while (await slugTaken(db, { slug })) slug = slugify(name, randomSlugSuffix());
  return slug;
}

async function removeProjectFiles(id: string) {
  await removeProjectTree(id);
  removeRepository(id);
}

/**
 * Creates a project: its directory from the template (dependencies hard-linked from the template cache; a cold
 * cache is filled first, once), the row, and its checkpoint repository with a first checkpoint. `empty` skips the
 * template's files (zip import into a new project). With `startContainer`, the container starts in the background
 * as soon as the files and the row exist, while the checkpoint repository is made: the preview comes up sooner.
 */
export async function createProject(input: {
  ownerId: string;
  name?: string;
  template: string;
  description?: string;
  empty?: boolean;
  startContainer?: boolean;
}): Promise<Project> {
  const template = requireTemplate(input.template);
  const db = await getDb();
  const chosen = input.name?.trim();
  let name = chosen || (await uniqueName(input.ownerId));
  if (chosen && (await projectNameTaken(db, { ownerId: input.ownerId, name }))) throw nameTaken(name);
  const id = randomUUID();
  const dir = projectDir(id);
  const started = performance.now();
  let inserted = false;
  let history: Promise<unknown> | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (!input.empty) {
      fs.cpSync(templateFilesDir(template.name), dir, { recursive: true });
      if (template.hasDependencies) await linkTemplateDependencies(template.name, dir);
    }
    history = initRepository(id).then(() => createCheckpoint(id, input.empty ? "Empty project" : `Created from template ${template.name}`));
    history.catch(() => undefined); // awaited below
    if (input.startContainer) await ownNewProjectTree(id);
    name = await insertUniquelyNamed(input.ownerId, { id, name, chosen: Boolean(chosen), template: template.name, description: input.description ?? "" });
    inserted = true;
    if (input.startContainer) startInBackground(id);
    await history;
  } catch (error) {
    await history?.catch(() => undefined); // settled before its folders are removed
    if (inserted) await removeInsertedProject(input.ownerId, id).catch(() => undefined);
    else await removeProjectFiles(id);
    if (error instanceof Error && isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
  logger.info("project created", { project_id: id, template: template.name, duration_ms: Math.round(performance.now() - started) });
  const project = await getOwnedProject(db, { id, ownerId: input.ownerId });
  if (!project) throw new Error("created project not found");
  return project;
}

/** Undoes a creation that failed after its row was inserted. */
async function removeInsertedProject(ownerId: string, id: string): Promise<void> {
  const project = await getOwnedProject(await getDb(), { id, ownerId });
  if (project) await deleteProject(project);
}

/** Inserts the row; returns the name it was stored under. */
async function insertUniquelyNamed(
  ownerId: string,
  row: { id: string; name: string; chosen: boolean; template: string; description: string },
): Promise<string> {
  const db = await getDb();
  let name = row.name;
  for (let attempt = 0; ; attempt++) {
    try {
      await insertProject(db, { id: row.id, ownerId, name, slug: await uniqueSlug(name), template: row.template, description: row.description });
      return name;
    } catch (error) {
      // A concurrent create took the same slug, or the same generated name, between the check and the insert:
      // pick another. A name the caller chose is theirs to change (409).
      if (attempt >= 5 || !(error instanceof Error) || !isUniqueViolation(error)) throw error;
      if (/slug/i.test(error.message)) continue;
      if (row.chosen) throw error;
      name = await uniqueName(ownerId);
    }
  }
}

/** Renames or re-describes a project; the slug (preview host name) stays stable. */
export async function updateProject(project: Project, patch: { name?: string; description?: string; auto_fix?: boolean }): Promise<Project> {
  const { id, owner_id: ownerId } = project;
  const db = await getDb();
  const name = patch.name?.trim() ?? project.name;
  if (name !== project.name && (await projectNameTaken(db, { ownerId, name }))) throw nameTaken(name);
  try {
    await updateProjectRow(db, { id, ownerId, name, description: patch.description ?? project.description, autoFix: patch.auto_fix ?? project.auto_fix });
  } catch (error) {
    if (error instanceof Error && isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
  return requireOwnedProject(ownerId, id);
}

/**
 * Deletes everything of a project: its container, its conversations and row (one transaction), then
 * its files and checkpoint repository. Nothing of it is left behind.
 */
export async function deleteProject(project: Project): Promise<Project> {
  await removeProjectContainer(project.id);
  const db = await getDb();
  const deploymentIds = await db.transaction(async (tx) => {
    await deleteProjectConversations(tx, { projectId: project.id });
    await deleteProjectSettings(tx, { projectId: project.id });
    await deleteProjectEnv(tx, { projectId: project.id });
    const ids = await deleteProjectShipRows(tx, { projectId: project.id });
    await deleteProjectRow(tx, { id: project.id, ownerId: project.owner_id });
    return ids;
  });
  await removeProjectFiles(project.id);
  await removeProjectAttachments(project.id);
  await removeEvidence(project.id);
  for (const id of deploymentIds) removeArtifact(id);
  invalidateLookups();
  forgetPreviewSlug(project.slug);
  logger.info("project deleted", { project_id: project.id });
  return project;
}
