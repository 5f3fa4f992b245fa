import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { log } from "@/lib/log";
import { registerHostRoute } from "@/lib/proxy/host-router";
import { forwardedHeaders, proxyHttp, proxyUpgrade, readCookie, refuseUpgrade } from "@/lib/proxy/reverse-proxy";
import { getDb } from "@/prisma-free-db/client";
import { failInterruptedDeployments, getDeployment, promotedDeploymentBySlug, type DeploymentRow } from "@/prisma-free-db/queries/deployments";
import { ACCESS_COOKIE_TTL_S, ACCESS_PATH, DEPLOY_COOKIE, labelFromHost, signAccess, verifyAccess } from "./access";
import { artifactDir } from "./artifacts";
import { cachedLookup } from "./lookup-cache";
import { ServerUnavailable, deploymentServer, forgetDeploymentServer, type ServerTarget, touchDeploymentServer } from "./server-runtime";

const logger = log.child({ module: "deploy-serve" });
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
};

function plain(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(text + "\n");
}

/** A deployment id label serves that deployment; any other label is a project slug serving its promoted one. */
function resolve(label: string): Promise<DeploymentRow | undefined> {
  return cachedLookup(label, async () => {
    const db = await getDb();
    return uuidPattern.test(label) ? getDeployment(db, { id: label }) : promotedDeploymentBySlug(db, { slug: label });
  });
}

/** The file for a URL path inside the artifact: `/` and folders → index.html; paths without an extension fall back to /index.html (client routing). */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const full = path.join(root, path.normalize(decoded));
  if (full !== root && !full.startsWith(root + path.sep)) return undefined;
  const candidates = [full, path.join(full, "index.html"), ...(path.extname(decoded) ? [] : [`${full}.html`, path.join(root, "index.html")])];
  for (const candidate of candidates) {
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse, label: string) {
  const deployment = await resolve(label);
  if (!deployment || deployment.state !== "ready") return plain(res, 404, "Deployment not found");
  const url = new URL(req.url ?? "/", "http://deploy");
  const byId = uuidPattern.test(label);

  if (deployment.visibility === "private") {
    if (url.pathname === ACCESS_PATH) {
      const user = verifyAccess(url.searchParams.get("token") ?? undefined, deployment.project_id);
      if (!user || user !== deployment.owner_id) return plain(res, 404, "Deployment not found");
      res.writeHead(302, {
        location: "/",
        "cache-control": "no-store",
        "set-cookie": `${DEPLOY_COOKIE}=${signAccess(deployment.project_id, user, ACCESS_COOKIE_TTL_S)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ACCESS_COOKIE_TTL_S}`,
      });
      return res.end();
    }
    // Private deployments are indistinguishable from missing ones without the owner's cookie.
    if (verifyAccess(readCookie(req.headers.cookie, DEPLOY_COOKIE), deployment.project_id) !== deployment.owner_id) {
      return plain(res, 404, "Deployment not found");
    }
  }
  if (deployment.start_command) return proxyRequest(req, res, deployment);
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return plain(res, 405, "Method not allowed");
  }
  const file = fileFor(artifactDir(deployment.id), url.pathname);
  if (!file) return plain(res, 404, "Not found");
  const stat = fs.statSync(file);
  res.writeHead(200, {
    "content-type": types[path.extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": stat.size,
    // A deployment's files never change; the stable URL can point elsewhere at any time.
    "cache-control": byId && deployment.visibility === "public" ? "public, max-age=300" : "no-cache",
    "x-content-type-options": "nosniff",
    "x-slipway-deployment": deployment.id,
    ...(deployment.visibility === "private" ? { "x-robots-tag": "noindex" } : {}),
  });
  if (req.method === "HEAD") return res.end();
  fs.createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

/** A short page for a server that cannot answer: what happened, never internals. */
function unavailable(res: ServerResponse, status: 502 | 503, message: string) {
  if (res.headersSent) return res.destroy();
  const title = status === 502 ? "This deployment's server is not running" : "This deployment is not available right now";
  const body = `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${message} Try again in a moment; if it keeps failing, redeploy.</p>\n`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", "retry-after": "5" });
  res.end(body);
}

/** Server-side deployments: the request goes to the deployment's own container (started on first use). */
async function proxyRequest(req: IncomingMessage, res: ServerResponse, deployment: DeploymentRow) {
  let target: ServerTarget;
  try {
    target = await deploymentServer(deployment);
  } catch (error) {
    if (error instanceof ServerUnavailable) return unavailable(res, error.status, error.message);
    throw error;
  }
  proxyHttp(req, res, target, forwardedHeaders(req, DEPLOY_COOKIE), {
    onDone: () => touchDeploymentServer(deployment.id),
    onError: (error) => {
      logger.warn("deployment server did not answer", { deployment_id: deployment.id, error: error.message });
      // Connection refused: the container is gone; the next request starts a new one.
      if (error.code === "ECONNREFUSED") forgetDeploymentServer(deployment.id);
      unavailable(res, 502, "The deployment's server did not answer.");
    },
  });
}

/** WebSocket upgrades: only server-side deployments, with the same access rules as requests. */
async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, label: string) {
  const deployment = await resolve(label);
  if (!deployment || deployment.state !== "ready" || !deployment.start_command) return refuseUpgrade(socket, "404 Not Found");
  if (deployment.visibility === "private" && verifyAccess(readCookie(req.headers.cookie, DEPLOY_COOKIE), deployment.project_id) !== deployment.owner_id) {
    return refuseUpgrade(socket, "404 Not Found");
  }
  let target: ServerTarget;
  try {
    target = await deploymentServer(deployment);
  } catch (error) {
    return refuseUpgrade(socket, error instanceof ServerUnavailable && error.status === 503 ? "503 Service Unavailable" : "502 Bad Gateway");
  }
  proxyUpgrade(req, socket, head, target, forwardedHeaders(req, DEPLOY_COOKIE), () => touchDeploymentServer(deployment.id));
}

registerHostRoute({
  name: "deployments",
  request(req, res) {
    const label = labelFromHost(req.headers.host);
    if (!label) return false;
    handle(req, res, label).catch((error) => {
      logger.error("serving a deployment failed", { error });
      if (!res.headersSent) plain(res, 500, "Internal error");
      else res.destroy();
    });
    return true;
  },
  upgrade(req, socket, head) {
    const label = labelFromHost(req.headers.host);
    if (!label) return false;
    handleUpgrade(req, socket, head, label).catch((error) => {
      logger.error("proxying a deployment upgrade failed", { error });
      refuseUpgrade(socket, "500 Internal Server Error");
    });
    return true;
  },
});

// Builds run inside this process: any left queued/building by a previous run were interrupted.
void getDb()
  .then((db) => failInterruptedDeployments(db))
  .catch((error) => logger.warn("could not mark interrupted deployments", { error }));
