import type { ContainerProject } from "@/prisma-free-db/queries/containers";
import { projectGrants } from "@/lib/crypto/project-grant";
import { readCookie } from "@/lib/proxy/reverse-proxy";

/** Lifetime of the token handed to the preview iframe (exchanged for a cookie right away). */
export const PREVIEW_TOKEN_TTL_S = 300;
/** Lifetime of the cookie on the preview host. */
export const PREVIEW_COOKIE_TTL_S = 12 * 3600;
export const PREVIEW_COOKIE = "slipway_preview";

const grants = projectGrants("preview-access");

/** A signed grant: `userId` may view project `projectId`'s preview until `ttlSeconds` from now. */
export const signPreviewGrant = grants.sign;
/** The grant's user id when it is authentic, unexpired and for this project; otherwise undefined. */
export const verifyPreviewGrant = grants.verify;

/** Whether the Cookie header carries a valid preview grant for the project's owner. */
export function hasOwnerGrant(cookie: string | undefined, project: ContainerProject): boolean {
  const user = verifyPreviewGrant(readCookie(cookie, PREVIEW_COOKIE), project.id);
  return user !== undefined && user === project.owner_id;
}
