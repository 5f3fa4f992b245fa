import { createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";

export const DEPLOY_COOKIE = "slipway_deploy";
export const ACCESS_TOKEN_TTL_S = 300;
export const ACCESS_COOKIE_TTL_S = 12 * 3600;
export const ACCESS_PATH = "/__slipway/auth";

const sign = (payload: string) => createHmac("sha256", derivedKey("deployment-access")).update(payload).digest("base64url");

/** A signed grant: `userId` may view project `projectId`'s private deployments until the expiry. */
export function signAccess(projectId: string, userId: string, ttlSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ p: projectId, u: userId, e: Math.floor(Date.now() / 1000) + ttlSeconds })).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

export function verifyAccess(token: string | undefined, projectId: string): string | undefined {
  const [payload, signature] = (token ?? "").split(".");
  if (!payload || !signature) return undefined;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const grant = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { p?: string; u?: string; e?: number };
    if (grant.p !== projectId || typeof grant.u !== "string" || typeof grant.e !== "number" || grant.e < Date.now() / 1000) return undefined;
    return grant.u;
  } catch {
    return undefined;
  }
}

/** `http://<label>.<DEPLOY_BASE_DOMAIN>:<port>/` with WEB_URL's scheme and port. */
export function deployUrl(label: string): string {
  const web = new URL(env().WEB_URL);
  return `${web.protocol}//${label}.${env().DEPLOY_BASE_DOMAIN}${web.port ? `:${web.port}` : ""}/`;
}

/** The label a deployment Host header names (deployment id or project slug), else undefined. */
export function labelFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, "");
  const suffix = `.${env().DEPLOY_BASE_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const label = name.slice(0, -suffix.length);
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(label) ? label : undefined;
}
