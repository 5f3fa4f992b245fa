import { z } from "zod";
import { defineRoute } from "@/lib/api/contract";
import { userSchema } from "../schemas";

const healthData = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  uptime_s: z.number(),
  database: z.object({ ok: z.boolean(), latency_ms: z.number().optional(), error: z.string().optional() }),
  docker: z.object({
    ok: z.boolean(),
    version: z.string().optional(),
    api_version: z.string().optional(),
    error: z.string().optional(),
    containers: z.record(z.string(), z.number()).optional().describe("This instance's containers by state (running, exited, …)"),
  }),
  auth: z.object({ google: z.boolean(), github: z.boolean(), local: z.boolean() }),
  llm: z.object({
    provider: z.string(),
    model: z.string().nullable(),
    openrouter: z.boolean(),
    openai: z.boolean(),
    anthropic: z.boolean(),
    openai_compatible: z.boolean(),
    check: z
      .object({
        status: z.enum(["ok", "failed", "checking", "not_configured"]),
        provider: z.string().nullable(),
        checked_at: z.string().nullable(),
        latency_ms: z.number().optional(),
        error: z.string().optional(),
      })
      .describe(
        "The default provider's key, checked live (its model list) at most once per ten minutes; `checking` while the first check runs (/health waits ≤ 2 s)",
      ),
  }),
});

export const health = defineRoute({
  method: "GET",
  path: "/api/v1/health",
  summary: "Health of the database, the Docker engine and the configured providers (200, or 503 when the database does not answer)",
  tag: "System",
  auth: "none",
  response: healthData,
});

export const rootHealth = defineRoute({ ...health, path: "/health", summary: "Alias of /api/v1/health for load balancers" });

export const openapi = defineRoute({
  method: "GET",
  path: "/api/v1/openapi.json",
  summary: "This API's OpenAPI 3.1 document",
  tag: "System",
  auth: "none",
  produces: "application/json",
});

export const me = defineRoute({
  method: "GET",
  path: "/api/v1/me",
  summary: "The caller: user and linked sign-in identities",
  tag: "Authentication",
  auth: "user",
  response: userSchema.extend({
    identities: z.array(z.object({ provider: z.string() })),
    authenticated_via: z.enum(["session", "api_key"]),
  }),
});

export const systemContracts = [health, rootHealth, openapi, me];
