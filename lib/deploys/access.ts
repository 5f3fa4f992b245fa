import { projectGrants } from "@/lib/crypto/project-grant";
import { env } from "@/lib/env";

export const DEPLOY_COOKIE = "slipway_deploy";
export const ACCESS_TOKEN_TTL_S = 300;
export const ACCESS_COOKIE_TTL_S = 12 * 3600;
export const ACCESS_PATH = "/__slipway/auth";

const grants = projectGrants("deployment-access");

/** A signed grant: `userId` may view project `projectId`'s private deployments until the expiry. */
export const signAccess = grants.sign;
export const verifyAccess = grants.verify;

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
