import { ZodError } from "zod";
import { ApiError, errorBody, type FieldError } from "@/lib/errors";
import type { Logger } from "@/lib/log";

/** The guideline's success envelope. */
export interface Envelope<T> {
  message: string;
  data: T;
  metadata?: Record<string, unknown>;
}

export function jsonResponse(body: unknown, status: number, requestId: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  h.set("x-request-id", requestId);
  const text = JSON.stringify(body);
  // Next drops Content-Length from route-handler responses, so the compression in server.ts cannot see a
  // body's size; below 1 KiB gzip costs more than it saves, and `no-transform` tells it to leave one alone.
  h.set("cache-control", text.length < 1024 ? "no-store, no-transform" : "no-store");
  return new Response(text, { status, headers: h });
}

export function zodFields(error: ZodError): FieldError[] {
  return error.issues.flatMap((i) => {
    const base = i.path.map(String).join(".");
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: "Unknown field" }));
    return [{ path: base || "(root)", message: i.message }];
  });
}

/** Maps anything thrown to the one error body; internals never leave the process. */
export function errorResponse(error: unknown, requestId: string, logger: Logger): Response {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else if (error instanceof ZodError) {
    apiError = new ApiError("bad_request", "Validation failed", { fields: zodFields(error) });
  } else {
    logger.error("unhandled error", { error });
    apiError = new ApiError("internal", "Internal server error");
  }
  const headers: HeadersInit = apiError.code === "unauthorized" ? { "www-authenticate": 'Bearer realm="slipway"' } : {};
  return jsonResponse(errorBody(apiError, requestId), apiError.status, requestId, headers);
}
