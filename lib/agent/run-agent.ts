import { stepCountIs, streamText, type LanguageModel, type LanguageModelUsage, type ModelMessage, type StopCondition, type ToolSet } from "ai";
import type { Usage } from "@/lib/shared/chat-protocol";
import { withStuckDetector, type StuckState } from "./stuck-detector";

export type StopReason = "done" | "step_limit" | "token_limit" | "stuck" | "cancelled" | "error";

/** Where the agent's progress goes as it happens (the chat turn turns these into frames and rows). */
export interface AgentSink {
  thinking(step: number): void;
  text(delta: string, step: number): void;
  toolCall(call: { id: string; tool: string; input: unknown; step: number }): void;
  toolResult(result: { id: string; tool: string; ok: boolean; output: unknown; step: number }): void;
  /** One LLM call finished: its usage is recorded now (awaited, in order). */
  stepFinished(step: { step: number; model: string; usage: Usage }): Promise<void>;
}

export type StoredPart =
  | { type: "text"; text: string }
  | { type: "tool_call"; id: string; tool: string; input: unknown }
  | { type: "tool_result"; id: string; tool: string; ok: boolean; output: unknown };

export interface AgentOutcome {
  text: string;
  parts: StoredPart[];
  steps: number;
  usage: Usage;
  stopReason: StopReason;
  error?: { code: "provider_error" | "provider_timeout"; message: string };
  stuck?: StuckState["stuck"];
}

export interface AgentRun {
  model: LanguageModel;
  system: string;
  messages: ModelMessage[];
  tools: ToolSet;
  signal: AbortSignal;
  maxSteps: number;
  /** Input + output tokens this turn may use (the per-turn cap, lowered to what the project budget has left). */
  maxTokens: number;
}

const SHORT = 2000;

/** JSON-safe and at most ~SHORT characters: what frames and stored parts carry of tool inputs/outputs. */
export function shorten(value: unknown, limit = SHORT): unknown {
  if (typeof value === "string") return value.length > limit ? `${value.slice(0, limit)}… (${value.length - limit} more characters)` : value;
  const json = JSON.stringify(value ?? null);
  if (json.length <= limit) return value ?? null;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (const k of keys) out[k] = shorten((value as Record<string, unknown>)[k], Math.max(200, Math.floor(limit / keys.length)));
    return out;
  }
  return `${json.slice(0, limit)}… (${json.length - limit} more characters)`;
}

export function toUsage(u: LanguageModelUsage | undefined): Usage {
  const input = u?.inputTokens ?? 0;
  const output = u?.outputTokens ?? 0;
  return { input_tokens: input, output_tokens: output, cached_tokens: u?.inputTokenDetails?.cacheReadTokens ?? u?.cachedInputTokens ?? 0, total_tokens: input + output };
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

function describeError(error: unknown, signal: AbortSignal): { code: "provider_error" | "provider_timeout"; message: string } {
  const e = error as { name?: string; message?: string; statusCode?: number; cause?: unknown; lastError?: { statusCode?: number; message?: string } };
  const name = e?.name ?? "";
  const message = e?.message ?? String(error);
  if (!signal.aborted && (name === "TimeoutError" || /timeout|timed out/i.test(message) || (e?.cause as { name?: string })?.name === "TimeoutError")) {
    return { code: "provider_timeout", message: "The LLM provider stopped sending data and the request timed out. Try again." };
  }
  const status = e?.statusCode ?? e?.lastError?.statusCode;
  if (status) return { code: "provider_error", message: `The LLM provider answered HTTP ${status}. Try again in a moment.` };
  if (/JSON|parse|Type validation/i.test(message) || name.includes("JSONParseError") || name.includes("TypeValidationError")) {
    return { code: "provider_error", message: "The LLM provider sent a malformed stream. Try again." };
  }
  return { code: "provider_error", message: "The LLM request failed: the provider could not be reached or returned an error." };
}

/**
 * One agent turn: `streamText` with tools over several steps, bounded by a step cap, a token cap and the stuck
 * detector. Never throws for provider failures: they come back as `error` with what was produced so far.
 */
export async function runAgent(run: AgentRun, sink: AgentSink): Promise<AgentOutcome> {
  const state: StuckState = { stuck: null };
  let usage: Usage = { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 };
  const parts: StoredPart[] = [];
  let text = "";
  let step = 0;
  let lastFinish: string | undefined;
  let error: AgentOutcome["error"];

  const tokenCap: StopCondition<ToolSet> = () => usage.total_tokens >= run.maxTokens;
  const stuck: StopCondition<ToolSet> = () => state.stuck !== null;
  const appendText = (delta: string) => {
    text += delta;
    const last = parts[parts.length - 1];
    if (last?.type === "text") last.text += delta;
    else parts.push({ type: "text", text: delta });
  };

  const result = streamText({
    model: run.model,
    system: run.system,
    messages: run.messages,
    tools: withStuckDetector(run.tools, state),
    stopWhen: [stepCountIs(run.maxSteps), tokenCap, stuck],
    abortSignal: run.signal,
    maxRetries: 1,
    onError: () => undefined, // errors arrive as stream parts below
  });

  try {
    for await (const part of result.fullStream) {
      switch (part.type) {
        case "start-step":
          step++;
          sink.thinking(step);
          break;
        case "text-delta":
          if (part.text) {
            appendText(part.text);
            sink.text(part.text, step);
          }
          break;
        case "tool-call": {
          const input = shorten(part.input);
          parts.push({ type: "tool_call", id: part.toolCallId, tool: part.toolName, input });
          sink.toolCall({ id: part.toolCallId, tool: part.toolName, input, step });
          break;
        }
        case "tool-result": {
          const ok = !(part.output && typeof part.output === "object" && "error" in part.output);
          const output = shorten(part.output);
          parts.push({ type: "tool_result", id: part.toolCallId, tool: part.toolName, ok, output });
          sink.toolResult({ id: part.toolCallId, tool: part.toolName, ok, output, step });
          break;
        }
        case "tool-error": {
          const output = { error: part.error instanceof Error ? part.error.message : String(part.error) };
          parts.push({ type: "tool_result", id: part.toolCallId, tool: part.toolName, ok: false, output });
          sink.toolResult({ id: part.toolCallId, tool: part.toolName, ok: false, output, step });
          break;
        }
        case "finish-step": {
          const stepUsage = toUsage(part.usage);
          usage = addUsage(usage, stepUsage);
          lastFinish = part.finishReason;
          await sink.stepFinished({ step, model: part.response.modelId, usage: stepUsage });
          break;
        }
        case "error":
          error ??= describeError(part.error, run.signal);
          break;
        default:
          break;
      }
    }
  } catch (thrown) {
    if (!run.signal.aborted) error ??= describeError(thrown, run.signal);
  }

  let stopReason: StopReason;
  if (run.signal.aborted) stopReason = "cancelled";
  else if (error) stopReason = "error";
  else if (state.stuck) stopReason = "stuck";
  else if (lastFinish === "tool-calls" && usage.total_tokens >= run.maxTokens) stopReason = "token_limit";
  else if (lastFinish === "tool-calls" && step >= run.maxSteps) stopReason = "step_limit";
  else stopReason = "done";

  const note = stopNote(stopReason, state, run);
  if (note) {
    appendText(note);
    sink.text(note, step);
  }
  return { text, parts, steps: step, usage, stopReason, error, stuck: state.stuck };
}

function stopNote(reason: StopReason, state: StuckState, run: AgentRun): string | null {
  switch (reason) {
    case "stuck":
      return `\n\nI stopped: the same ${state.stuck!.tool} call failed ${state.stuck!.times} times in a row with "${state.stuck!.error}". Tell me how to proceed or rephrase the request.`;
    case "step_limit":
      return `\n\nI stopped after ${run.maxSteps} steps (the per-turn step limit). Say "continue" to go on.`;
    case "token_limit":
      return `\n\nI stopped: this turn reached its token limit (${run.maxTokens} tokens). Say "continue" to go on.`;
    default:
      return null;
  }
}
