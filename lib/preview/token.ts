import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** Lifetime of the token handed to the preview iframe (exchanged for a cookie right away). */
export const PREVIEW_TOKEN_TTL_S = 300;
/** Lifetime of the cookie on the preview host. */
export const PREVIEW_COOKIE_TTL_S = 12 * 3600;
export const PREVIEW_COOKIE = "slipway_preview";

let derivedKey: Buffer | undefined;
function sign(payload: string): string {
  // A key derived for this purpose only, so a preview token can never pass as any other signed value.
  derivedKey ??= createHmac("sha256", env().AUTH_SECRET).update("slipway preview access v1").digest();
  return createHmac("sha256", derivedKey).update(payload).digest("base64url");
}

/** Recently verified grants (a page load sends the same cookie dozens of times): token → user, expiry. */
const verified = new Map<string, { projectId: string; user: string; expires: number }>();

/** A signed grant: `userId` may view project `projectId`'s preview until `ttlSeconds` from now. */
export function signPreviewGrant(projectId: string, userId: string, ttlSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ p: projectId, u: userId, e: Math.floor(Date.now() / 1000) + ttlSeconds })).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

/** The grant's user id when it is authentic, unexpired and for this project; otherwise undefined. */
export function verifyPreviewGrant(token: string | undefined, projectId: string): string | undefined {
  if (!token) return undefined;
  const hit = verified.get(token);
  if (hit) return hit.projectId === projectId && hit.expires >= Date.now() / 1000 ? hit.user : undefined;
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return undefined;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const grant = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { p?: string; u?: string; e?: number };
    if (grant.p !== projectId || typeof grant.u !== "string" || typeof grant.e !== "number") return undefined;
    if (grant.e < Math.floor(Date.now() / 1000)) return undefined;
    if (verified.size >= 1000) verified.clear();
    verified.set(token, { projectId: grant.p, user: grant.u, expires: grant.e });
    return grant.u;
  } catch {
    return undefined;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
