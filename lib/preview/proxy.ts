import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { getDb } from "@/prisma-free-db/client";
import { getContainerProjectBySlug, type ContainerProject } from "@/prisma-free-db/queries/containers";
import { touchProject } from "@/lib/containers/runtime-state";
import { previewTarget, type PreviewUpstream } from "@/lib/containers/service";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";
import { registerHostRoute } from "@/lib/proxy/host-router";
import { forwardedHeaders, proxyHttp, proxyUpgrade, refuseUpgrade } from "@/lib/proxy/reverse-proxy";
import { relayConnection } from "@/lib/proxy/relay";
import { admitToRelay } from "./relay-admission";
import { hasOwnerGrant, PREVIEW_COOKIE, PREVIEW_COOKIE_TTL_S, signPreviewGrant, verifyPreviewGrant } from "./token";
import { handleErrorReport } from "./error-report";
import { AUTH_PATH_PREFIX, ERRORS_PATH, REPORTER_PATH } from "./paths";
import { injectReporter, REPORTER_SOURCE } from "./reporter-script";
import { cachedProjectForSlug } from "./slug-cache";
import { slugFromHost } from "@/lib/containers/preview-url";

const previewLog = log.child({ module: "preview" });

const projectForSlug = (slug: string) => cachedProjectForSlug(slug, async () => getContainerProjectBySlug(await getDb(), { slug }));

function plain(res: ServerResponse, status: number, text: string) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(text + "\n");
}

function cookieAttributes(): string {
  const local = env().PREVIEW_BASE_DOMAIN === "localhost" || env().PREVIEW_BASE_DOMAIN.endsWith(".localhost");
  // The preview is another site than the app, so the iframe only gets the cookie with SameSite=None,
  // which browsers accept only with Secure (allowed on http for *.localhost). Partitioned (CHIPS): Chromium
  // blocks unpartitioned third-party cookies (verified with Chromium 156), so the iframe needs a cookie
  // partitioned under the app's site.
  const crossSite = local || env().WEB_URL.startsWith("https:");
  return `Path=/; HttpOnly; Max-Age=${PREVIEW_COOKIE_TTL_S}; ${crossSite ? "SameSite=None; Secure; Partitioned" : "SameSite=Lax"}`;
}

/** Request headers for the dev server: our cookie removed, Host rewritten (dev servers check it). */
function upstreamHeaders(req: IncomingMessage, port: number): OutgoingHttpHeaders {
  const headers = forwardedHeaders(req, PREVIEW_COOKIE);
  headers.host = `localhost:${port}`;
  return headers;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, slug: string) {
  const project = await projectForSlug(slug);
  const pathname = (req.url ?? "/").split("?")[0];
  if (pathname === ERRORS_PATH) {
    if (!project || !hasOwnerGrant(req.headers.cookie, project)) return plain(res, 403, "Forbidden");
    return handleErrorReport(req, res, project.id);
  }
  if (!project) return plain(res, 404, "Not found");
  if (req.url?.startsWith(AUTH_PATH_PREFIX)) {
    const url = new URL(req.url, "http://preview");
    const token = url.searchParams.get("token") ?? undefined;
    const user = verifyPreviewGrant(token, project.id);
    if (!user || user !== project.owner_id) return plain(res, 404, "Not found");
    const next = url.searchParams.get("next") ?? "/";
    const location = next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
    res.writeHead(302, {
      location,
      "cache-control": "no-store",
      "set-cookie": `${PREVIEW_COOKIE}=${signPreviewGrant(project.id, user, PREVIEW_COOKIE_TTL_S)}; ${cookieAttributes()}`,
    });
    return res.end();
  }
  if (!hasOwnerGrant(req.headers.cookie, project)) return plain(res, 404, "Not found");
  if (pathname === REPORTER_PATH) {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
    return res.end(REPORTER_SOURCE);
  }

  const target = await previewTarget(project.id);
  if ("error" in target) return plain(res, 502, `The preview is not running: ${target.error}`);
  forward(req, res, project, target);
}

/**
 * A request that reached the HTTP server: forwarded as HTTP. Most requests never get here: they go through the
 * connection relay (relay-admission.ts) with the same checks and rewriting (docs/architecture.md, "The preview proxy").
 */
function forward(req: IncomingMessage, res: ServerResponse, project: ContainerProject, target: { port: number; upstream: PreviewUpstream }) {
  touchProject(project.id);
  proxyHttp(req, res, target.upstream, upstreamHeaders(req, target.port), {
    onDone: () => touchProject(project.id),
    transformHtml: injectReporter,
    onError: (error) => {
      previewLog.warn("preview upstream failed", { project_id: project.id, error: error.message });
      plain(res, 502, "The preview did not answer");
    },
  });
}

async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, slug: string) {
  const project = await projectForSlug(slug);
  if (!project || !hasOwnerGrant(req.headers.cookie, project)) return refuseUpgrade(socket, "404 Not Found");
  const target = await previewTarget(project.id);
  if ("error" in target) return refuseUpgrade(socket, "502 Bad Gateway");
  proxyUpgrade(req, socket, head, target.upstream, upstreamHeaders(req, target.port), () => touchProject(project.id));
}

function failure(error: unknown): { status: number; text: string } {
  if (error instanceof ApiError) {
    if (error.code === "not_found") return { status: 404, text: "Not found" };
    return { status: error.status, text: error.message };
  }
  previewLog.error("preview request failed", { error });
  return { status: 500, text: "Internal error" };
}

registerHostRoute({
  name: "preview",
  connection(socket, first, host, http) {
    const slug = slugFromHost(host);
    if (!slug) return false;
    relayConnection(socket, first, {
      admit: (head, client) => admitToRelay(head, client, slug, projectForSlug),
      http,
      badGateway: (reason) => {
        previewLog.warn("preview upstream failed", { slug, error: reason });
        return "The preview did not answer";
      },
    });
    return true;
  },
  request(req, res) {
    const slug = slugFromHost(req.headers.host);
    if (!slug) return false;
    handleRequest(req, res, slug).catch((error: unknown) => {
      const { status, text } = failure(error);
      plain(res, status, text);
    });
    return true;
  },
  upgrade(req, socket, head) {
    const slug = slugFromHost(req.headers.host);
    if (!slug) return false;
    handleUpgrade(req, socket, head, slug).catch((error: unknown) => {
      const { status } = failure(error);
      refuseUpgrade(socket, `${status} Error`);
    });
    return true;
  },
});
