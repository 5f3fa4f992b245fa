import type { Socket } from "node:net";
import type { ContainerProject } from "@/prisma-free-db/queries/containers";
import { touchProject } from "@/lib/containers/runtime-state";
import { readyPreviewTarget } from "@/lib/containers/service";
import { slugFromHost } from "@/lib/containers/preview-url";
import type { RequestHead } from "@/lib/proxy/http1-head";
import type { Admission } from "@/lib/proxy/relay";
import { forwardedProto, withoutCookie } from "@/lib/proxy/reverse-proxy";
import { OWN_PATH_PREFIX } from "./paths";
import { injectReporter } from "./reporter-script";
import { cachedProject } from "./slug-cache";
import { hasOwnerGrant, PREVIEW_COOKIE } from "./token";

/** Headers the relay sets itself: whatever the browser sent for them is dropped. */
const REPLACED = new Set(["host", "cookie", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "accept-encoding"]);

/**
 * Admits a preview request to the connection relay when it is the common case the HTTP path would forward at once:
 * a GET or HEAD without a body or upgrade, for this connection's preview host, not one of our own paths, the owner's
 * grant in its cookie, the dev server ready (the project is looked up when the slug cache does not have it). The head sent upstream is what the HTTP path
 * sends: our cookie removed, Host rewritten (dev servers check it), forwarding headers set, identity encoding asked
 * for so HTML pages can get the error reporter. Anything else goes to the HTTP server, which decides as always.
 */
export function admitToRelay(
  head: RequestHead,
  client: Socket,
  slug: string,
  loadProject: (slug: string) => Promise<ContainerProject | undefined>,
): Admission | undefined | Promise<Admission | undefined> {
  if ((head.method !== "GET" && head.method !== "HEAD") || head.target.startsWith(OWN_PATH_PREFIX)) return undefined;
  let host: string | undefined;
  let hosts = 0;
  const cookies: string[] = [];
  let kept = "";
  // The relay already gave chunked bodies, upgrades and Expect to the HTTP server; a body of any length goes there too.
  for (const h of head.headers) {
    if (h.name === "content-length" && h.value !== "0") return undefined;
    if (h.name === "host") {
      host = h.value;
      hosts++;
    } else if (h.name === "cookie") cookies.push(h.value);
    if (!REPLACED.has(h.name)) kept += h.raw + "\r\n";
  }
  if (hosts !== 1 || slugFromHost(host) !== slug) return undefined;
  const cookie = cookies.length ? cookies.join("; ") : undefined;
  const admit = (project: ContainerProject | undefined): Admission | undefined => {
    if (!project || !hasOwnerGrant(cookie, project)) return undefined;
    const target = readyPreviewTarget(project.id);
    if (!target) return undefined;
    touchProject(project.id);
    const rest = withoutCookie(cookie, PREVIEW_COOKIE);
    return {
      target: target.upstream,
      head:
        `${head.method} ${head.target} HTTP/1.1\r\nHost: localhost:${target.port}\r\n${kept}${rest ? `Cookie: ${rest}\r\n` : ""}` +
        `X-Forwarded-Host: ${host}\r\nX-Forwarded-Proto: ${forwardedProto()}\r\nX-Forwarded-For: ${client.remoteAddress ?? ""}\r\nAccept-Encoding: identity\r\n\r\n`,
      transformHtml: injectReporter,
      onDone: () => touchProject(project.id),
    };
  };
  const project = cachedProject(slug);
  return project ? admit(project) : loadProject(slug).then(admit);
}
