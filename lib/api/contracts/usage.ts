import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { uuid } from "../schemas";

export const totalsSchema = z.object({
  calls: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_tokens: z.number(),
  total_tokens: z.number(),
  cost_usd: z.number(),
});

const keySource = z.enum(["user", "server"]).describe("Whose key paid: the user's own (Settings → Models & keys) or the server's");

const usageRow = z.object({
  id: z.string(),
  project_id: z.string(),
  session_id: z.string().nullable(),
  message_id: z.string().nullable(),
  provider: z.string(),
  key_source: keySource,
  model: z.string(),
  step: z.number().describe("The agent step (1, 2, …) within its turn; 0 for the call that summarised the session's older messages (compaction)"),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_tokens: z.number(),
  cost_usd: z.number(),
  created_at: z.string(),
});

export const sessionUsage = defineRoute({
  method: "GET",
  path: "/api/v1/tokens/usage/{session_id}",
  summary: "Every LLM call of a chat session with its tokens and cost, and the totals (still answered after the session's project is deleted)",
  tag: "Usage",
  auth: "user",
  params: z.object({ session_id: uuid }),
  response: z.object({ session_id: z.string(), totals: totalsSchema, calls: z.array(usageRow) }),
});

const budgetSchema = z.object({
  project_id: z.string(),
  token_budget: z.number().nullable(),
  used_tokens: z.number(),
  remaining_tokens: z.number().nullable(),
});

export const projectUsage = defineRoute({
  method: "GET",
  path: "/api/v1/tokens/project/{project_id}",
  summary: "A project's token usage and cost: totals, per session, per model, and its budget",
  tag: "Usage",
  auth: "user",
  params: z.object({ project_id: uuid }),
  response: z.object({
    project_id: z.string(),
    totals: totalsSchema,
    by_session: z.array(totalsSchema.extend({ session_id: z.string().nullable() })),
    by_model: z.array(totalsSchema.extend({ provider: z.string(), model: z.string(), key_source: keySource })),
    budget: budgetSchema,
  }),
});

export const usageStats = defineRoute({
  method: "GET",
  path: "/api/v1/tokens/stats",
  summary: "The caller's usage over the last `days` days: totals, by day, by model and by project (deleted projects included)",
  tag: "Usage",
  auth: "user",
  query: z.object({ days: z.coerce.number().int().min(1).max(3660).default(30) }),
  response: z.object({
    since: z.string(),
    totals: totalsSchema,
    by_day: z.array(totalsSchema.extend({ day: z.string() })),
    by_model: z.array(totalsSchema.extend({ provider: z.string(), model: z.string(), key_source: keySource })),
    by_project: z.array(totalsSchema.extend({ project_id: z.string(), project_name: z.string().nullable() })),
  }),
});

export const getProjectBudget = defineRoute({
  method: "GET",
  path: "/api/v1/tokens/project/{project_id}/budget",
  summary: "The project's token budget (input + output tokens over its life; null: unlimited) and what is used",
  tag: "Usage",
  auth: "user",
  params: z.object({ project_id: uuid }),
  response: budgetSchema,
});

export const putProjectBudget = defineRoute({
  method: "PUT",
  path: "/api/v1/tokens/project/{project_id}/budget",
  summary: "Set or clear (null) the project's token budget; a turn is refused before any LLM call once it is used up",
  tag: "Usage",
  auth: "user",
  params: z.object({ project_id: uuid }),
  body: z.strictObject({ token_budget: z.number().int().min(1).max(1e15).nullable() }),
  response: budgetSchema,
});

export const usageContracts: RouteContract[] = [sessionUsage, projectUsage, usageStats, getProjectBudget, putProjectBudget];
