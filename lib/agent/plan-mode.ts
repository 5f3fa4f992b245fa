import type { ToolSet } from "ai";

/**
 * Plan mode (`user_message` with `metadata.mode: "plan"`): the agent looks at the project and answers with a plan,
 * changing nothing. Only the read-only tools are offered and run: a call of any other tool by name fails as an
 * unavailable tool (lib/agent/model-tools.ts, parseToolCall), and the turn's `beforeChange` refuses too, so no
 * tool that changes the project can run even if one were in the set.
 */
export const PLAN_MODE_TOOLS = ["list_files", "read_file", "search_files", "read_logs", "check_preview"] as const;

export const PLAN_MODE_REFUSAL = "Plan mode is read-only: nothing in the project may be changed in this turn.";

export function planModeTools(tools: ToolSet): ToolSet {
  const allowed = new Set<string>(PLAN_MODE_TOOLS);
  return Object.fromEntries(Object.entries(tools).filter(([name]) => allowed.has(name)));
}

export const PLAN_MODE_PROMPT = `

# Plan mode
The user asked for a plan, not for changes. In this turn your tools are read-only (${PLAN_MODE_TOOLS.join(", ")}); anything that changes files or runs commands fails.
Look at what you need, then answer with a concise numbered plan: the files to create or change and what changes in each, packages to add, and how to check the result in the preview. Short code snippets only where they remove doubt. Mention open questions for the user at the end. The user can then build the plan as the next turn.`;
