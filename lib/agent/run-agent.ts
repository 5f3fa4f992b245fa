import { APICallError, type ToolSet } from "ai";
import type { ChatCompletionsModel } from "@/lib/llm/chat-completions/client";
import type { ModelPart } from "@/lib/llm/chat-completions/model-part";
import type { PartQueue } from "@/lib/llm/chat-completions/part-queue";
import type { Usage } from "@/lib/shared/chat-protocol";
import {
  executeToolCall,
  functionTools,
  parseToolCall,
  toolCallPart,
  toolResultPart,
  type FunctionTool,
  type ModelPrompt,
  type ParsedToolCall,
  type ToolCallOutcome,
} from "./model-tools";
import type { ModelImage } from "./model-images";
import { promptMessages, type AgentMessage } from "./history-prompt";
import type { StoredPart } from "./stored-part";
import { withStuckDetector, type StuckState } from "./stuck-detector";

export type StopReason = "done" | "step_limit" | "token_limit" | "stuck" | "cancelled" | "error";

/** Where the agent's progress goes as it happens (the chat turn turns these into frames and rows). */
export interface AgentSink {
  thinking(step: number): void;
  /** `more`: the next part is text that is already here (same network read): the sink may send both together. */
  text(delta: string, step: number, more: boolean): void;
  toolCall(call: { id: string; tool: string; input: unknown; step: number }): void;
  toolResult(result: { id: string; tool: string; ok: boolean; output: unknown; step: number }): void;
  /** One LLM call finished: its usage is recorded now (awaited, in order). */
  stepFinished(step: { step: number; model: string; usage: Usage }): Promise<void>;
}

export type { StoredPart };
export type { AgentMessage };

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
  model: ChatCompletionsModel;
  system: string;
  /** Earlier turns and this turn's user message (which may carry images). */
  messages: AgentMessage[];
  tools: ToolSet;
  signal: AbortSignal;
  maxSteps: number;
  /** Input + output tokens this turn may use (the per-turn cap, lowered to what the project budget has left). */
  maxTokens: number;
  /** A provider that sends nothing for this long while we wait on it fails the turn with a timeout. */
  idleTimeoutMs: number;
  /** The model reads images: tool results' images (check_preview's screenshot) are sent to it. */
  vision?: boolean;
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

function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
  };
}

/** What the user is told about a failed LLM call (errors of lib/llm/chat-completions/client.ts). */
function describeError(error: unknown, signal: AbortSignal, modelId: string): { code: "provider_error" | "provider_timeout"; message: string } {
  if (!signal.aborted && (error as { name?: string })?.name === "TimeoutError") {
    return { code: "provider_timeout", message: "The LLM provider stopped sending data and the request timed out. Try again." };
  }
  if (APICallError.isInstance(error) && error.statusCode) {
    return { code: "provider_error", message: httpFailureMessage(error.statusCode, error.message, modelId) };
  }
  return { code: "provider_error", message: "The LLM request failed: the provider could not be reached or returned an error." };
}

/**
 * What the user can do about a provider's HTTP error. The provider's own explanation (the error's message: the
 * body's `error.message`, see http-stream.ts) is quoted only for requests it found wrong (400/404/422), shortened
 * and with anything shaped like an API key removed; never for 401/403, whose messages can echo part of the key.
 */
function httpFailureMessage(status: number, providerMessage: string, modelId: string): string {
  if (status === 401 || status === 403) {
    return `The LLM provider refused the request (HTTP ${status}): its API key is missing, wrong, or not allowed to use "${modelId}". Check the key in .env and restart Slipway.`;
  }
  if (status === 429)
    return `The LLM provider is rate-limiting requests or the account's quota is used up (HTTP 429). Wait a moment, or check the provider account.`;
  if (status >= 500) return `The LLM provider answered HTTP ${status} (a failure on its side). Try again in a moment.`;
  const reason = quotable(providerMessage);
  if (status === 404)
    return `The LLM provider does not offer the model "${modelId}" (HTTP 404${reason ? `: ${reason}` : ""}). Choose another model or set MODEL_NAME.`;
  return `The LLM provider rejected the request (HTTP ${status})${reason ? `: ${reason}` : "."}`;
}

/** A provider's message as the user may see it: at most 300 characters, one line, key-shaped strings removed. */
function quotable(message: string): string | null {
  const clean = message
    .replace(/\b(sk|pk|rk|or|key)[-_][A-Za-z0-9_*.-]{6,}/gi, "[key removed]")
    .replace(/\s+/g, " ")
    .trim();
  if (!clean) return null;
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

/** Retryable provider failures (HTTP 408/409/429/5xx, network errors) get one more try, as `streamText`'s maxRetries: 1 did. */
const RETRIES = 1;
const RETRY_DELAY_MS = 2000;

async function openStream(run: AgentRun, prompt: ModelPrompt, tools: FunctionTool[]): Promise<PartQueue<ModelPart>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run.model.stream({ prompt, tools, signal: run.signal, idleTimeoutMs: run.idleTimeoutMs });
    } catch (error) {
      if (attempt >= RETRIES || run.signal.aborted || !APICallError.isInstance(error) || !error.isRetryable) throw error;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, RETRY_DELAY_MS);
        run.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (run.signal.aborted) throw error;
    }
  }
}

/**
 * Runs `fn` once, in this turn of the event loop's check phase (after the I/O callbacks due now), or when `now()` is
 * called, whichever comes first. `now()` rethrows what `fn` threw.
 */
function soon(fn: () => void): { now: () => void } {
  let state: { done: false } | { done: true; error?: unknown } = { done: false };
  const run = () => {
    if (state.done) return;
    clearImmediate(timer);
    try {
      fn();
      state = { done: true };
    } catch (error) {
      state = { done: true, error };
    }
  };
  const timer = setImmediate(run);
  return {
    now: () => {
      run();
      if (state.done && "error" in state) throw state.error;
    },
  };
}

/**
 * One agent turn: `streamText`'s multi-step tool loop (each step one streamed LLM call; its tool calls run, their
 * results go into the next call) over the ai SDK's prompt and tool types, bounded by a step cap, a token cap and
 * the stuck detector. `streamText` itself cost ~3x our whole per-chunk path in its stream pipeline, hence the
 * loop here. Never throws for provider failures: they come back as `error` with what was produced so far.
 */
export async function runAgent(run: AgentRun, sink: AgentSink): Promise<AgentOutcome> {
  const state: StuckState = { stuck: null };
  const tools: ToolSet = withStuckDetector(run.tools, state);
  let usage: Usage = { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 };
  const parts: StoredPart[] = [];
  let text = "";
  let step = 0;
  let lastFinish: string | undefined;
  let error: AgentOutcome["error"];
  const appendText = (delta: string) => {
    text += delta;
    const last = parts[parts.length - 1];
    if (last?.type === "text") last.text += delta;
    else parts.push({ type: "text", text: delta });
  };

  const prompt: ModelPrompt = [{ role: "system", content: run.system }, ...run.messages.flatMap(promptMessages)];

  try {
    const definitions = await functionTools(tools);
    for (;;) {
      step++;
      // The request is sent first, and the frames and rows the sink makes for `thinking` wait for the I/O callbacks
      // already due: they overlap the provider's latency, and in a burst of messages every request goes out before
      // any of them (bench:chat 1a). They always come before the step's first part or failure.
      const opening = openStream(run, prompt, definitions);
      const thought = soon(() => sink.thinking(step));
      let stream: PartQueue<ModelPart>;
      try {
        stream = await opening;
      } finally {
        thought.now();
      }
      let stepText = "";
      let modelId = run.model.modelId;
      let stepUsage: Usage | null = null;
      const calls: Array<{ call: ParsedToolCall; outcome: Promise<ToolCallOutcome> }> = [];
      // Tool calls run one after another, each as soon as the model has sent it (while the stream goes on).
      let running: Promise<unknown> = Promise.resolve();
      try {
        // Leaving this loop early (a throw) closes the upstream connection.
        for await (const part of stream) {
          switch (part.type) {
            case "text-delta":
              stepText += part.delta;
              appendText(part.delta);
              sink.text(part.delta, step, stream.peek()?.type === "text-delta");
              break;
            case "tool-call": {
              const call = await parseToolCall(tools, part);
              const input = shorten(call.input);
              parts.push({ type: "tool_call", id: call.id, tool: call.tool, input });
              sink.toolCall({ id: call.id, tool: call.tool, input, step });
              const outcome = running.then(() => executeToolCall(tools, call, { abortSignal: run.signal }));
              running = outcome.then((o) => {
                const output = shorten(o.output);
                parts.push({ type: "tool_result", id: call.id, tool: call.tool, ok: o.ok, output });
                sink.toolResult({ id: call.id, tool: call.tool, ok: o.ok, output, step });
              });
              calls.push({ call, outcome });
              break;
            }
            case "response-metadata":
              modelId = part.modelId;
              break;
            case "finish":
              lastFinish = part.finishReason;
              stepUsage = part.usage ?? { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 };
              break;
            case "error":
              error ??= {
                code: "provider_error",
                message:
                  part.kind === "malformed"
                    ? "The LLM provider sent a malformed stream. Try again."
                    : "The LLM provider reported an error mid-answer. Try again.",
              };
              break;
          }
        }
      } finally {
        await running.catch(() => undefined);
      }
      if (stepUsage) {
        usage = addUsage(usage, stepUsage);
        await sink.stepFinished({ step, model: modelId, usage: stepUsage });
      }
      if (error || run.signal.aborted || calls.length === 0) break;
      const outcomes = await Promise.all(calls.map((c) => c.outcome));
      prompt.push(
        { role: "assistant", content: [...(stepText ? [{ type: "text" as const, text: stepText }] : []), ...calls.map((c) => toolCallPart(c.call))] },
        { role: "tool", content: calls.map((c, i) => toolResultPart(c.call, outcomes[i]!)) },
      );
      if (run.vision)
        pushToolImages(
          prompt,
          outcomes.flatMap((o) => o.images ?? []),
        );
      if (state.stuck || step >= run.maxSteps || usage.total_tokens >= run.maxTokens) break;
    }
  } catch (thrown) {
    if (!run.signal.aborted) error ??= describeError(thrown, run.signal, run.model.modelId);
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
    sink.text(note, step, false);
  }
  return { text, parts, steps: step, usage, stopReason, error, stuck: state.stuck };
}

const REPLACED_IMAGE = "[An earlier screenshot; a newer one follows.]";

/**
 * Tool results' images as a user message after the tool results (Chat Completions tool messages hold text only).
 * Only the newest such message keeps its images: earlier ones become a note, so a turn that checks the preview
 * many times does not send every screenshot with every later request.
 */
function pushToolImages(prompt: ModelPrompt, images: ModelImage[]): void {
  if (images.length === 0) return;
  for (const message of prompt) {
    if (message.role !== "user" || !toolImageMessages.has(message)) continue;
    message.content = [{ type: "text", text: REPLACED_IMAGE }];
    toolImageMessages.delete(message);
  }
  const message: ModelPrompt[number] & { role: "user" } = {
    role: "user",
    content: images.flatMap((i) => [
      { type: "text" as const, text: i.caption },
      { type: "file" as const, mediaType: i.mime, data: i.data },
    ]),
  };
  toolImageMessages.add(message);
  prompt.push(message);
}
const toolImageMessages = new WeakSet<object>();

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
