import { env } from "@/lib/env";

/** `http://<slug>.<PREVIEW_BASE_DOMAIN>:<port>/`, with the scheme and port of WEB_URL. */
export function previewUrl(slug: string): string {
  const web = new URL(env().WEB_URL);
  return `${web.protocol}//${slug}.${env().PREVIEW_BASE_DOMAIN}${web.port ? `:${web.port}` : ""}/`;
}

/** The project slug a preview Host header names, or undefined when the host is not a preview host. */
export function slugFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, "");
  const suffix = `.${env().PREVIEW_BASE_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const slug = name.slice(0, -suffix.length);
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? slug : undefined;
}
