import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { allContracts } from "@/lib/api/contracts";
import type { ErrorBody } from "@/lib/errors";
import { log } from "@/lib/log";
import type { RouteContract } from "./contract";

interface PathMatcher {
  pattern: RegExp;
  methods: Set<string>;
}

/** `{name}` matches one segment, or the rest of the path when the contract declares it as an array (a catch-all). */
function compile(contract: RouteContract): RegExp {
  const shape = (contract.params as { shape?: Record<string, { def?: { type?: string } }> } | undefined)?.shape ?? {};
  const source = contract.path
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return shape[name]?.def?.type === "array" ? ".+" : "[^/]+";
    })
    .join("");
  return new RegExp(`^${source}/?$`);
}

let matchers: PathMatcher[] | undefined;
function pathMatchers(): PathMatcher[] {
  if (!matchers) {
    const byPath = new Map<string, PathMatcher>();
    for (const c of allContracts) {
      const m = byPath.get(c.path) ?? { pattern: compile(c), methods: new Set<string>() };
      m.methods.add(c.method);
      byPath.set(c.path, m);
    }
    matchers = [...byPath.values()];
  }
  return matchers;
}

/** The methods documented for a path, or undefined when no contract describes it. */
export function allowedMethods(pathname: string): Set<string> | undefined {
  let found: Set<string> | undefined;
  for (const m of pathMatchers()) {
    if (!m.pattern.test(pathname)) continue;
    found ??= new Set();
    for (const method of m.methods) found.add(method);
  }
  return found;
}

/**
 * Next answers a method a route file does not export with an empty 405. For documented API paths we
 * answer it ourselves, in the one error shape, before Next sees the request. Returns true when answered.
 */
export function rejectWrongMethod(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? "GET";
  if (method === "OPTIONS" || method === "HEAD") return false;
  const pathname = new URL(req.url ?? "/", "http://internal").pathname;
  const allowed = allowedMethods(pathname);
  if (!allowed || allowed.has(method)) return false;
  const incoming = req.headers["x-request-id"];
  const requestId = typeof incoming === "string" && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  const message = `Method ${method} is not allowed on ${pathname}; allowed: ${[...allowed].join(", ")}`;
  const body: ErrorBody = { detail: message, error: { code: "method_not_allowed", message, request_id: requestId } };
  res.writeHead(405, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    allow: [...allowed, "OPTIONS"].join(", "),
    "x-request-id": requestId,
  });
  res.end(JSON.stringify(body));
  log.info("request", { request_id: requestId, method, path: pathname, status: 405, duration_ms: 0, user_id: null });
  return true;
}
