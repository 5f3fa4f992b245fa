import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/api/contract";

const tag = "Models";
const providerParams = z.object({
  provider: z.string().describe("openrouter | openai | anthropic | openai-compatible (an unknown name: 404)"),
});

const providerSchema = z.object({
  provider: z.enum(["openrouter", "openai", "anthropic", "openai-compatible"]),
  configured: z.boolean(),
  source: z
    .enum(["user", "server"])
    .nullable()
    .describe("user: the caller's own settings (used for the caller's turns only); server: the server's env; null: not configured"),
  key_hint: z.string().nullable().describe("The last 4 characters of the caller's key (null for a server key, no key, or a key under 12 characters)"),
  has_key: z.boolean(),
  base_url: z.string().nullable().describe("Where requests go (the server's own OpenAI-compatible address is not shown)"),
  last_tested_at: z.string().nullable().describe("The caller's last successful test of their own settings"),
  updated_at: z.string().nullable(),
});

/** An http(s) URL without credentials: the address of an OpenAI-compatible server (Ollama, LM Studio, vLLM…). */
const baseUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL without credentials, e.g. http://127.0.0.1:11434/v1");

export const listMyProviders = defineRoute({
  method: "GET",
  path: "/api/v1/me/providers",
  summary: "The LLM providers and whether the caller can use each: their own settings or the server's (keys are never returned)",
  tag,
  auth: "user",
  response: z.array(providerSchema),
});

export const putMyProvider = defineRoute({
  method: "PUT",
  path: "/api/v1/me/providers/{provider}",
  summary: "Store the caller's key (sealed at rest) and, for openai-compatible, base URL; api_key omitted keeps the stored one, null removes it",
  tag,
  auth: "user",
  params: providerParams,
  body: z.strictObject({
    api_key: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[\x21-\x7e]+$/, "printable characters without spaces")
      .nullable()
      .optional(),
    base_url: baseUrl.nullable().optional(),
  }),
  response: providerSchema,
});

export const deleteMyProvider = defineRoute({
  method: "DELETE",
  path: "/api/v1/me/providers/{provider}",
  summary: "Remove the caller's settings for a provider (the server's, if any, apply again)",
  tag,
  auth: "user",
  params: providerParams,
  response: providerSchema,
});

export const testMyProvider = defineRoute({
  method: "POST",
  path: "/api/v1/me/providers/{provider}/test",
  summary: "One live GET {base}/models with the caller's settings (else the server's): ok, latency and models, or the provider's own error",
  tag,
  auth: "user",
  params: providerParams,
  response: z.object({
    ok: z.boolean(),
    source: z.enum(["user", "server"]),
    latency_ms: z.number(),
    models: z.array(z.string()),
    error: z.string().optional(),
  }),
});

export const providersContracts: RouteContract[] = [listMyProviders, putMyProvider, deleteMyProvider, testMyProvider];
