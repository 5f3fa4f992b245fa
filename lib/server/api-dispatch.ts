import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { filterInternalHeaders } from "next/dist/server/lib/server-ipc/utils";

/**
 * Production's direct path to the API's route handlers.
 *
 * Every compiled route module of a Next build exports `handler(req, res, ctx)`: the entry Next's own server calls
 * once its router has matched the route, and the one Next's deployment adapters call. The handler does everything
 * that belongs to the route itself (its params from the URL, the request context `headers()` and `cookies()` read,
 * the Web Request, the route's method, sending the answer). What Next's router adds in front (rewrites, redirects,
 * middleware, i18n, pages, static files) Slipway does not use for its API, and it cost a quarter to a third of an API request's
 * CPU (bench/README.md, bench:http). So a request whose path is a plain `/api/v1/…` path of a route handler goes
 * straight to that handler; every other request, and every path this module is unsure of, goes through Next.
 *
 * Left to Next: anything under /api/v1/auth/ (next-auth reads the URL and forwarding headers its own way), a
 * trailing slash (Next redirects it), percent-escapes, dot segments, empty segments and other characters (Next
 * decodes and normalises them), and paths no route handler matches (the API's catch-all answers them).
 */
export type ApiDispatch = (req: IncomingMessage, res: ServerResponse) => Promise<unknown> | undefined;

type RouteHandler = (req: IncomingMessage, res: ServerResponse, ctx: { requestMeta?: Record<string, unknown> }) => Promise<unknown>;
type Route = { file: string; handler?: RouteHandler };

/** Letters, digits and `-._~` in segments of at least one character that do not start with a dot, no trailing slash. */
const PLAIN_API_PATH = /^\/api\/v1(?:\/[A-Za-z0-9\-_~][A-Za-z0-9\-_.~]*)+$/;
const LEFT_TO_NEXT = /^\/api\/v1\/auth(?:\/|$)/;

type RoutesManifest = {
  basePath: string;
  staticRoutes: { page: string }[];
  dynamicRoutes: { page: string; regex: string }[];
};

export function createApiDispatch(options: { distDir: string; hostname: string; port: number }): ApiDispatch | undefined {
  const distDir = path.resolve(options.distDir);
  const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(distDir, file), "utf8")) as T;
  const manifest = read<RoutesManifest>("routes-manifest.json");
  // A base path would change every URL; such a build is left to Next's router entirely.
  if (manifest.basePath) return undefined;
  const files = read<Record<string, string>>("server/app-paths-manifest.json");

  const routeOf = (page: string): Route | undefined => {
    const file = PLAIN_API_PATH.test(page.replace(/\[[^\]/]+\]/g, "x")) ? files[`${page}/route`] : undefined;
    return file ? { file: path.join(distDir, "server", file) } : undefined;
  };
  const staticRoutes = new Map<string, Route>();
  for (const { page } of manifest.staticRoutes) {
    const route = routeOf(page);
    if (route) staticRoutes.set(page, route);
  }
  // In the manifest's order, which is Next's own precedence among dynamic routes.
  const dynamicRoutes: { regex: RegExp; route: Route }[] = [];
  for (const { page, regex } of manifest.dynamicRoutes) {
    const route = page.includes("[[...") || page.includes("[...") ? undefined : routeOf(page);
    if (route) dynamicRoutes.push({ regex: new RegExp(regex), route });
  }

  const requireFromDist = createRequire(path.join(distDir, "server", "noop.js"));
  // Next's own server (next-server.ts attachRequestMeta) builds the request's absolute URL the same way.
  const origin = `http://${options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname}:${options.port}`;

  const match = (pathname: string): Route | undefined => {
    const exact = staticRoutes.get(pathname);
    if (exact) return exact;
    for (const { regex, route } of dynamicRoutes) if (regex.test(pathname)) return route;
    return undefined;
  };

  return (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const pathname = query === -1 ? url : url.slice(0, query);
    if (!PLAIN_API_PATH.test(pathname) || LEFT_TO_NEXT.test(pathname)) return undefined;
    const route = match(pathname);
    if (!route) return undefined;
    try {
      route.handler ??= handlerOf(requireFromDist(route.file) as { handler?: unknown }, route.file);
    } catch (error) {
      return Promise.reject(error); // answered as a 500 by the caller, like any failing handler
    }
    // What Next's router does to every request before a route handler sees it.
    filterInternalHeaders(req.headers);
    const https = req.headers["x-forwarded-proto"]?.includes("https") ?? false;
    req.headers["x-forwarded-host"] ??= req.headers.host ?? options.hostname;
    req.headers["x-forwarded-port"] ??= String(options.port);
    req.headers["x-forwarded-proto"] ??= https ? "https" : "http";
    req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    return route.handler(req, res, {
      requestMeta: { initURL: `${https ? origin.replace("http:", "https:") : origin}${url}`, initProtocol: https ? "https" : "http" },
    });
  };
}

function handlerOf(mod: { handler?: unknown }, file: string): RouteHandler {
  if (typeof mod.handler !== "function") throw new Error(`${file} exports no route handler entry (a Next version without it: set API_DISPATCH=next)`);
  return mod.handler as RouteHandler;
}
