import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorBody, type ApiError } from "@/lib/errors";
import { log } from "@/lib/log";

const requestIdPattern = /^[\w.-]{1,64}$/;

/** The caller's `x-request-id` when well-formed, else a new one. */
export function requestIdFrom(incoming: string | string[] | null | undefined): string {
  return typeof incoming === "string" && requestIdPattern.test(incoming) ? incoming : randomUUID();
}

/**
 * Answers a request server.ts refuses before Next sees it: the one error body, `x-request-id`, and the request's
 * one log line, as the route wrapper (lib/http/route.ts) gives every other request.
 */
export function answerError(req: IncomingMessage, res: ServerResponse, error: ApiError, pathname: string, headers: Record<string, string> = {}): void {
  const requestId = requestIdFrom(req.headers["x-request-id"]);
  const body = errorBody(error, requestId);
  res.writeHead(error.status, { ...headers, "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-request-id": requestId });
  res.end(JSON.stringify(body));
  log.info("request", { request_id: requestId, method: req.method ?? "GET", path: pathname, status: error.status, duration_ms: 0, user_id: null });
}
