import { z } from "zod";

/** One error type for the whole API; handlers throw it and the route wrapper renders it. */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  not_implemented: 501,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

// Next loads this module twice in one process (server.ts from source, route bundles from the build), so an
// ApiError thrown by the other copy (e.g. by the shared database object) must still be recognised.
const apiErrorBrand = Symbol.for("slipway.api-error");

export class ApiError extends Error {
  readonly [apiErrorBrand] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[apiErrorBrand] === true;
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = "ApiError";
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

/**
 * The JSON body of every error response (the OpenAPI document's error schema is generated from it). `detail`
 * mirrors FastAPI's HTTPException shape from the user's API guideline, so clients written against it keep working;
 * `error` carries the rest, with the error's own details (such as `fields`) beside code and message.
 */
export const errorBodySchema = z.object({
  detail: z.string(),
  error: z.looseObject({
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    request_id: z.string().optional(),
    fields: z.array(fieldErrorSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The one error body: every HTTP answer and refused upgrade that reports an error is built here. */
export function errorBody(error: ApiError, requestId?: string): ErrorBody {
  return {
    detail: error.message,
    error: { ...(error.details ?? {}), code: error.code, message: error.message, ...(requestId ? { request_id: requestId } : {}) },
  };
}

export const notFound = (what = "Resource") => new ApiError("not_found", `${what} not found`);
export const accessDenied = () => new ApiError("forbidden", "Access denied");
