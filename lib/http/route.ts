import type { z } from "zod";
import { resolveCaller, type Caller } from "@/lib/auth/caller";
import { ApiError } from "@/lib/errors";
import { requireOwnedProject } from "@/lib/auth/owned-project";
import { getDb, type Database } from "@/prisma-free-db/client";
import type { Project } from "@/prisma-free-db/queries/projects";
import { log, type Logger } from "@/lib/log";
import { DEFAULT_MAX_BODY, readJsonBody } from "./body";
import type { RouteContract } from "@/lib/api/contract";
import { requestIdFrom } from "./node-error";
import { errorResponse, jsonResponse, zodFields, type Envelope } from "./respond";

type Infer<S> = [NonNullable<S>] extends [never] ? undefined : NonNullable<S> extends z.ZodType ? z.infer<NonNullable<S>> : undefined;

export interface RouteContext<C extends RouteContract> {
  req: Request;
  caller: C["auth"] extends "user" ? Caller : Caller | null;
  /** On a route whose path holds `{project_id}`: the caller's project, loaded once the request is validated (else 404). */
  project: Infer<C["params"]> extends { project_id: string } ? Project : undefined;
  /** The process's database, for handlers that read through prisma-free-db/queries. */
  db: Database;
  params: Infer<C["params"]>;
  query: Infer<C["query"]>;
  body: Infer<C["body"]>;
  requestId: string;
  log: Logger;
}

export type RouteResult<C extends RouteContract> = (Envelope<Infer<C["response"]>> & { status?: number; headers?: HeadersInit }) | Response;

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

/** What a route file exports per method (route() builds one; lib/http/methods.ts gathers them). */
export type RouteHandler = (req: Request, nextCtx: NextContext) => Promise<Response>;

async function parsePart(schema: z.ZodType, value: unknown, where: string): Promise<unknown> {
  const result = await schema.safeParseAsync(value);
  if (!result.success) {
    const message = where === "params" ? "Invalid path parameter" : where === "query" ? "Invalid query parameter" : "Validation failed";
    throw new ApiError("bad_request", message, {
      fields: zodFields(result.error).map((f) => ({ ...f, path: f.path === "(root)" ? where : `${where}.${f.path}` })),
    });
  }
  return result.data;
}

/** Validates a body the handler assembled itself (a multipart form's fields) exactly as route() validates JSON. */
export async function validateBody<S extends z.ZodType>(schema: S, value: unknown): Promise<z.output<S>> {
  return (await parsePart(schema, value, "body")) as z.output<S>;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/** Response.redirect() and fetch() responses have immutable headers: copy those before adding one. */
function withHeader(res: Response, name: string, value: string): Response {
  try {
    res.headers.set(name, value);
    return res;
  } catch {
    const headers = new Headers(res.headers);
    headers.set(name, value);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
}

/**
 * The one route wrapper: request id, caller, params/query/body validation, error mapping,
 * the success envelope and one structured log line per request. Handlers only return or throw.
 */
export function route<C extends RouteContract>(contract: C, handler: (ctx: RouteContext<C>) => Promise<RouteResult<C>>): RouteHandler {
  return async (req: Request, nextCtx: NextContext): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers.get("x-request-id"));
    const url = new URL(req.url);
    let userId: string | undefined;
    const reqLog = log.child({ request_id: requestId });
    let response: Response;
    try {
      const resolved = await resolveCaller(req.headers);
      if (resolved.caller) userId = resolved.caller.user.id;
      if (!resolved.caller && (contract.auth === "user" || resolved.reason === "invalid_token")) {
        throw new ApiError(
          "unauthorized",
          resolved.reason === "invalid_token" ? "Invalid or revoked API key" : "Sign in or send an API key (Authorization: Bearer …)",
        );
      }
      // Each part is awaited only when the contract declares it: every await is a promise and a turn of the
      // microtask queue on every request.
      const params = contract.params ? await parsePart(contract.params, await nextCtx.params, "params") : undefined;
      const query = contract.query ? await parsePart(contract.query, queryObject(url), "query") : undefined;
      const jsonBody = contract.body && (contract.bodyKind ?? "json") === "json" ? contract.body : undefined;
      const body = jsonBody ? await parsePart(jsonBody, await readJsonBody(req, contract.maxBodyBytes ?? DEFAULT_MAX_BODY), "body") : undefined;
      // Project-scoped: the caller's project, or 404 (another user's project is indistinguishable from a missing one).
      const projectId = (params as { project_id?: unknown } | undefined)?.project_id;
      const project = typeof projectId === "string" && resolved.caller ? await requireOwnedProject(resolved.caller.user.id, projectId) : undefined;
      const result = await handler({
        req,
        caller: resolved.caller as RouteContext<C>["caller"],
        project: project as RouteContext<C>["project"],
        db: await getDb(),
        params: params as Infer<C["params"]>,
        query: query as Infer<C["query"]>,
        body: body as Infer<C["body"]>,
        requestId,
        log: reqLog.child({ user_id: userId }),
      });
      if (result instanceof Response) {
        response = withHeader(result, "x-request-id", requestId);
      } else {
        const { status, headers, ...envelope } = result;
        response = jsonResponse(
          { message: envelope.message, data: envelope.data ?? null, metadata: envelope.metadata ?? {} },
          status ?? contract.successStatus ?? 200,
          requestId,
          headers,
        );
      }
    } catch (error) {
      response = errorResponse(error, requestId, reqLog);
    }
    reqLog.info("request", {
      method: req.method,
      path: url.pathname,
      status: response.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      user_id: userId ?? null,
    });
    return response;
  };
}
