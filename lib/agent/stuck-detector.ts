import type { Tool, ToolSet } from "ai";
import { isFailure } from "./context";

/** The same failing call (tool + identical input) this many times in one turn stops the turn. */
export const STUCK_REPEATS = 3;

export interface StuckState {
  stuck: { tool: string; input: unknown; error: string; times: number } | null;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Wraps every tool's execute to count identical failing calls; sets `state.stuck` at STUCK_REPEATS. */
export function withStuckDetector<T extends ToolSet>(tools: T, state: StuckState): T {
  const failures = new Map<string, number>();
  const wrapped: ToolSet = {};
  for (const [name, t] of Object.entries(tools)) {
    const original = (t as Tool).execute;
    if (!original) {
      wrapped[name] = t;
      continue;
    }
    wrapped[name] = {
      ...t,
      execute: async (input: unknown, options: Parameters<NonNullable<Tool["execute"]>>[1]) => {
        const output = await original(input as never, options);
        if (isFailure(output)) {
          const key = `${name}:${stableJson(input)}`;
          const times = (failures.get(key) ?? 0) + 1;
          failures.set(key, times);
          if (times >= STUCK_REPEATS && !state.stuck) state.stuck = { tool: name, input, error: output.error, times };
        }
        return output;
      },
    } as Tool;
  }
  return wrapped as T;
}
