import type { z } from "zod";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A route's contract: the wrapper validates against it and /api/v1/openapi.json is generated from it,
 * so a route cannot exist undocumented.
 */
export interface RouteContract<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  A extends "user" | "none" = "user" | "none",
> {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/v1/projects/{project_id}`. */
  path: string;
  summary: string;
  tag: string;
  /** `user`: a signed-in user or API key is required. `none`: public. */
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** How the body arrives when it is not JSON (the handler reads it itself). */
  bodyKind?: "json" | "multipart" | "binary";
  /** Largest accepted body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Schema of `data` in the success body. */
  response?: R;
  /** Content type when the success response is not the JSON envelope. */
  produces?: string;
  successStatus?: number;
}

export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  A extends "user" | "none" = "user",
>(contract: RouteContract<P, Q, B, R, A>): RouteContract<P, Q, B, R, A> {
  return contract;
}
