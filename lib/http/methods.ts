import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";
import { requestIdFrom } from "./node-error";
import { errorResponse } from "./respond";
import type { RouteHandler } from "./route";

/** The methods a route file implements with its own handlers (Next answers HEAD with the GET handler). */
const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** Every method Next dispatches to a route file; it answers any other with an empty 400. */
export const DISPATCHED_METHODS: readonly string[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** The `Allow` header of a route file implementing `implemented`: HEAD comes with GET, OPTIONS always. */
function allowHeader(implemented: readonly RouteMethod[]): string {
  return DISPATCHED_METHODS.filter((m) => m === "OPTIONS" || (m === "HEAD" ? implemented.includes("GET") : implemented.includes(m as RouteMethod))).join(", ");
}

/**
 * A route file's handlers for every method Next dispatches: the ones it implements, 405 in the one error body with
 * `Allow` for the others, and OPTIONS answering 204 with the same `Allow`. Next's own defaults would be an empty 405,
 * and an OPTIONS listing every exported method. Used as
 * `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: route(...) })`.
 */
export function methods(handlers: Partial<Record<RouteMethod, RouteHandler>>): Record<RouteMethod | "OPTIONS", RouteHandler> {
  const allow = allowHeader(ROUTE_METHODS.filter((m) => handlers[m]));
  const notAllowed: RouteHandler = async (req) => {
    const requestId = requestIdFrom(req.headers.get("x-request-id"));
    const path = new URL(req.url).pathname;
    const error = new ApiError("method_not_allowed", `Method ${req.method} is not allowed on ${path}; allowed: ${allow}`);
    const res = errorResponse(error, requestId, log);
    res.headers.set("allow", allow);
    log.info("request", { request_id: requestId, method: req.method, path, status: res.status, duration_ms: 0, user_id: null });
    return res;
  };
  const options: RouteHandler = async (req) =>
    new Response(null, { status: 204, headers: { allow, "x-request-id": requestIdFrom(req.headers.get("x-request-id")) } });
  return {
    GET: handlers.GET ?? notAllowed,
    POST: handlers.POST ?? notAllowed,
    PUT: handlers.PUT ?? notAllowed,
    PATCH: handlers.PATCH ?? notAllowed,
    DELETE: handlers.DELETE ?? notAllowed,
    OPTIONS: options,
  };
}
