import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";

/** Origins allowed for CORS and WebSocket upgrades: WEB_URL, the guideline's localhost:8080, and CORS_ORIGINS. */
export function allowedOrigins(): Set<string> {
  const e = env();
  return new Set([new URL(e.WEB_URL).origin, "http://localhost:8080", ...e.CORS_ORIGINS]);
}

/** A browser Origin is acceptable when listed or when it is this server's own origin. */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser: CSRF-style attacks need a browser
  if (allowedOrigins().has(origin)) return true;
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Applies CORS headers; answers preflights. Returns true when the request was fully answered. */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (!origin || !allowedOrigins().has(origin)) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-allow-credentials", "true");
  res.setHeader("vary", "Origin");
  res.setHeader("access-control-expose-headers", "x-request-id");
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
    res.setHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "*");
    res.setHeader("access-control-max-age", "600");
    res.writeHead(204).end();
    return true;
  }
  return false;
}
