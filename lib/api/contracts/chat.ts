import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { uuid } from "../schemas";

export const chatSessionSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  title: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createChatSession = defineRoute({
  method: "POST",
  path: "/api/v1/chat/create-session",
  summary: "Create a chat session in a project (or let the first user_message frame create one)",
  tag: "Chat",
  auth: "user",
  body: z.strictObject({ project_id: uuid, title: z.string().trim().min(1).max(200).optional() }),
  response: chatSessionSchema,
  successStatus: 201,
});

export const cancelChatTurn = defineRoute({
  method: "POST",
  path: "/api/v1/chat/{session_id}/cancel",
  summary: "Stop the session's running turn: the LLM request is aborted and a running command is killed",
  tag: "Chat",
  auth: "user",
  params: z.object({ session_id: uuid }),
  response: z.object({ session_id: z.string(), cancelled: z.boolean() }),
});

export const renameChatSession = defineRoute({
  method: "PATCH",
  path: "/api/v1/chat/{session_id}",
  summary: "Rename a chat session (1 to 200 characters, trimmed)",
  tag: "Chat",
  auth: "user",
  params: z.object({ session_id: uuid }),
  body: z.strictObject({ title: z.string().trim().min(1).max(200) }),
  response: chatSessionSchema,
});

export const deleteChatSession = defineRoute({
  method: "DELETE",
  path: "/api/v1/chat/{session_id}",
  summary: "Delete a chat session and its messages (its usage rows stay); 409 while a turn runs in it",
  tag: "Chat",
  auth: "user",
  params: z.object({ session_id: uuid }),
  response: z.object({ session_id: z.string(), deleted: z.literal(true) }),
});

const modelSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  input_per_million: z.number().nullable(),
  output_per_million: z.number().nullable(),
  cached_input_per_million: z.number().nullable(),
  context_length: z.number().nullable().describe("Context window in tokens (null: unknown)"),
  vision: z.boolean().nullable().describe("Takes images (null: unknown)"),
  tools: z.boolean().nullable().describe("Takes tool definitions, which the agent needs (null: unknown)"),
  /** builtin: from Slipway's price table; live: listed by the provider but not priced. */
  source: z.enum(["builtin", "live"]),
  /** Offered by the configured provider (live list, or the provider's own table entries). */
  available: z.boolean(),
  key_source: z
    .enum(["user", "server"])
    .nullable()
    .describe("Whose key a turn with this model uses: the caller's own (Settings → Models & keys) or the server's"),
  default: z.boolean(),
});

export const listAllModels = defineRoute({
  method: "GET",
  path: "/api/v1/models/all",
  summary:
    "The caller's models: the built-in table plus the live lists of the providers they can use (their own keys, then the server's), with prices per million tokens, context and vision/tools",
  tag: "Models",
  auth: "user",
  response: z.array(modelSchema),
});

export const chatContracts: RouteContract[] = [createChatSession, renameChatSession, deleteChatSession, cancelChatTurn, listAllModels];
