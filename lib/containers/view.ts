import { getDb } from "@/prisma-free-db/client";
import { getOwnedProject } from "@/prisma-free-db/queries/projects";
import { notFound } from "@/lib/errors";
import { AUTH_PATH_PREFIX } from "@/lib/preview/paths";
import { PREVIEW_TOKEN_TTL_S, signPreviewGrant } from "@/lib/preview/token";
import type { ContainerState } from "./service";

/** 404 unless the caller owns the project (another user's project looks like a missing one). */
export async function requireOwnedProject(projectId: string, userId: string) {
  const project = await getOwnedProject(await getDb(), { id: projectId, ownerId: userId });
  if (!project) throw notFound("Project");
  return project;
}

/** The state as the API returns it: plus a URL that signs the owner into the private preview. */
export function containerView(projectId: string, userId: string, state: ContainerState) {
  const token = signPreviewGrant(projectId, userId, PREVIEW_TOKEN_TTL_S);
  return { ...state, preview_auth_url: `${state.preview_url.replace(/\/$/, "")}${AUTH_PATH_PREFIX}?token=${encodeURIComponent(token)}` };
}
