import type { Logger } from "@/lib/log";

/** What every tool factory receives. Tools never see provider keys or other projects. */
export interface AgentToolContext {
  projectId: string;
  userId: string;
  sessionId: string;
  /** Aborted on cancel: running execs and fetches stop with it. */
  signal: AbortSignal;
  /** Paths the turn created, changed, deleted or renamed (for the checkpoint and the completion frame). */
  changedFiles: Set<string>;
  status: (state: "running_tool" | "waiting_for_preview", tool: string) => void;
  /** Resolves once the pre-turn checkpoint exists; awaited before anything changes the project. */
  beforeChange: () => Promise<void>;
  log: Logger;
}

/** Tools answer the model with `{ error }` instead of throwing, so a failure is a result the model can act on. */
export type ToolFailure = { error: string };

export function failure(message: string): ToolFailure {
  return { error: message };
}

export function isFailure(value: unknown): value is ToolFailure {
  return typeof value === "object" && value !== null && "error" in value && typeof (value as ToolFailure).error === "string";
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
