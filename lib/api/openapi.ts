import { z } from "zod";
import { errorBodySchema } from "@/lib/errors";
import type { RouteContract } from "@/lib/api/contract";
import { allContracts } from "./contracts";

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
}

const errorBody = jsonSchema(errorBodySchema, "output");

function parameters(c: RouteContract) {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ["path", c.params],
    ["query", c.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

function operation(c: RouteContract) {
  const success: Record<string, unknown> = c.produces
    ? { description: "OK", content: { [c.produces]: {} } }
    : {
        description: "OK",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["message", "data", "metadata"],
              properties: { message: { type: "string" }, data: c.response ? jsonSchema(c.response, "output") : {}, metadata: { type: "object" } },
            },
          },
        },
      };
  const errors = Object.fromEntries([400, ...(c.auth === "user" ? [401] : []), 404, 500].map((s) => [String(s), { $ref: "#/components/responses/Error" }]));
  return {
    summary: c.summary,
    tags: [c.tag],
    operationId: `${c.method.toLowerCase()}${c.path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
    security: c.auth === "user" ? [{ bearer: [] }, { session: [] }] : [],
    parameters: parameters(c),
    ...(c.body && (c.bodyKind ?? "json") === "json"
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(c.body, "input") } } } }
      : c.bodyKind === "multipart"
        ? { requestBody: { required: true, content: { "multipart/form-data": {} } } }
        : {}),
    responses: { [String(c.successStatus ?? 200)]: success, ...errors },
  };
}

/** The OpenAPI 3.1 document, generated from every route contract. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const c of allContracts) {
    paths[c.path] ??= {};
    paths[c.path]![c.method.toLowerCase()] = operation(c);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Slipway API",
      version: "1",
      description:
        "REST API of Slipway. Success bodies are `{message, data, metadata}`; errors are `{detail, error: {code, message, request_id, fields?}}`. Authenticate with the session cookie or `Authorization: Bearer <API key>`. The chat WebSocket is at /api/v1/chat/stream/{project_id} and the terminal WebSocket (a shell in the project's container: JSON input/resize frames in, TTY bytes out) at /api/v1/projects/{project_id}/terminal (see README).",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A personal API key from /api/v1/api-keys" },
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
      },
      responses: { Error: { description: "Error", content: { "application/json": { schema: errorBody } } } },
    },
  };
}
