import { z } from "zod";
import { defineRoute } from "@/lib/api/contract";
import { uuid } from "../schemas";

const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

export const listApiKeys = defineRoute({
  method: "GET",
  path: "/api/v1/api-keys",
  summary: "The caller's personal API keys (secrets are never shown again)",
  tag: "API keys",
  auth: "user",
  response: z.array(apiKey),
});

export const createApiKey = defineRoute({
  method: "POST",
  path: "/api/v1/api-keys",
  summary: "Create a personal API key; the secret is in the response once",
  tag: "API keys",
  auth: "user",
  body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
  response: apiKey.extend({ secret: z.string() }),
  successStatus: 201,
});

export const revokeApiKey = defineRoute({
  method: "DELETE",
  path: "/api/v1/api-keys/{key_id}",
  summary: "Revoke a key: it stops working at once",
  tag: "API keys",
  auth: "user",
  params: z.object({ key_id: uuid }),
  response: apiKey,
});

export const apiKeyContracts = [listApiKeys, createApiKey, revokeApiKey];
