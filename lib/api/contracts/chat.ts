import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/http/contract";
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

const modelSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  input_per_million: z.number().nullable(),
  output_per_million: z.number().nullable(),
  cached_input_per_million: z.number().nullable(),
  /** builtin: from Slipway's price table; live: listed by the provider but not priced. */
  source: z.enum(["builtin", "live"]),
  /** Offered by the configured provider (live list, or the provider's own table entries). */
  available: z.boolean(),
  default: z.boolean(),
});

export const listAllModels = defineRoute({
  method: "GET",
  path: "/api/v1/models/all",
  summary: "Models with prices per million tokens (built-in table plus the configured provider's live list)",
  tag: "Models",
  auth: "user",
  response: z.array(modelSchema),
});

export const chatContracts: RouteContract[] = [createChatSession, cancelChatTurn, listAllModels];
