import { createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "./secret-box";

export interface ProjectGrants {
  /** A signed grant: `userId` may view project `projectId`'s pages until `ttlSeconds` from now. */
  sign(projectId: string, userId: string, ttlSeconds: number): string;
  /** The grant's user id when it is authentic, unexpired and for this project; otherwise undefined. */
  verify(token: string | undefined, projectId: string): string | undefined;
}

/**
 * Signed `{project, user, expiry}` grants for the hosts Slipway serves apart from the app (previews,
 * private deployments), each with a key derived for its purpose only, so a grant of one kind never
 * passes as another. Verified grants are remembered (a page load sends the same cookie dozens of times).
 */
export function projectGrants(purpose: string): ProjectGrants {
  let key: Buffer | undefined;
  const mac = (payload: string) =>
    createHmac("sha256", (key ??= derivedKey(purpose)))
      .update(payload)
      .digest("base64url");
  const verified = new Map<string, { projectId: string; user: string; expires: number }>();
  return {
    sign(projectId, userId, ttlSeconds) {
      const payload = Buffer.from(JSON.stringify({ p: projectId, u: userId, e: Math.floor(Date.now() / 1000) + ttlSeconds })).toString("base64url");
      return `${payload}.${mac(payload)}`;
    },
    verify(token, projectId) {
      if (!token) return undefined;
      const now = Date.now() / 1000;
      const hit = verified.get(token);
      if (hit) return hit.projectId === projectId && hit.expires >= now ? hit.user : undefined;
      const [payload, signature] = token.split(".");
      if (!payload || !signature) return undefined;
      const expected = Buffer.from(mac(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      try {
        const grant = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { p?: string; u?: string; e?: number };
        if (grant.p !== projectId || typeof grant.u !== "string" || typeof grant.e !== "number" || grant.e < now) return undefined;
        if (verified.size >= 1000) verified.clear();
        verified.set(token, { projectId: grant.p, user: grant.u, expires: grant.e });
        return grant.u;
      } catch {
        return undefined;
      }
    },
  };
}
