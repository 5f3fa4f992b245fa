import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "@/lib/errors";
import { DISPATCHED_METHODS } from "./methods";
import { answerError } from "./node-error";

/**
 * A method Next never dispatches to a route file (PROPFIND, TRACE, …; Next would answer an empty 400) is one this
 * server does not implement on any path: 501 in the one error body. A known method a route file does not implement is
 * the route file's own 405 (lib/http/methods.ts). Returns true when answered.
 */
export function rejectUnknownMethod(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? "GET";
  if (DISPATCHED_METHODS.includes(method)) return false;
  const pathname = new URL(req.url ?? "/", "http://internal").pathname;
  answerError(
    req,
    res,
    new ApiError("not_implemented", `Method ${method} is not implemented; this server implements ${DISPATCHED_METHODS.join(", ")}`),
    pathname,
  );
  return true;
}
