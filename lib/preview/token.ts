import { projectGrants } from "@/lib/crypto/project-grant";

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
