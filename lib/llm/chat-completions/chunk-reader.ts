import { JsonEndScanner } from "./json-end-scanner";
import type { FinishReason, ModelPart } from "./model-part";

interface ToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null };
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
  done: boolean;
  /** Whether `args` may be complete yet, without parsing it after every fragment. */
  end: JsonEndScanner;
}

interface Chunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null; refusal?: string | null; tool_calls?: ToolCallDelta[] | null } | null; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
  error?: { message?: string };
}

function finishReasonOf(raw: string | undefined, refused: boolean): FinishReason {
  switch (raw) {
    case "stop":
      return refused ? "content-filter" : "stop";
    case "length":
      return "length";
    case "content_filter":
      return "content-filter";
    case "function_call":
    case "tool_calls":
      return "tool-calls";
    default:
      return "other";
  }
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns the data of each `chat.completion.chunk` event into model parts, with @ai-sdk/openai's semantics: empty
 * deltas are dropped, a refusal is text, tool-call fragments are joined by index and a call is emitted as soon as
 * its arguments are complete JSON (checked only when JsonEndScanner says they may be; the rest when the stream ends), the last usage wins. Shape checks are by hand:
 * a schema validator per chunk cost more than everything else on this path.
 */
export class ChunkReader {
  private metadataSent = false;
  private refused = false;
  private rawFinish: string | undefined;
  private usage: Extract<ModelPart, { type: "finish" }>["usage"] = null;
  private errored = false;
  private readonly calls: Array<PendingCall | undefined> = [];

  constructor(private readonly emit: (part: ModelPart) => void) {}

  data(data: string): void {
    if (data === "[DONE]") return;
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      return this.fail("malformed", "The provider sent a chunk that is not JSON.");
    }
    if (chunk === null || typeof chunk !== "object") return this.fail("malformed", "The provider sent a chunk that is not an object.");
    if (chunk.error !== undefined) return this.fail("provider", chunk.error?.message ?? "The provider reported an error.");
    if (!Array.isArray(chunk.choices)) return this.fail("malformed", "The provider sent a chunk without choices.");
    if (!this.metadataSent && typeof chunk.model === "string") {
      this.metadataSent = true;
      this.emit({ type: "response-metadata", modelId: chunk.model });
    }
    if (chunk.usage) {
      const input = chunk.usage.prompt_tokens ?? 0;
      const output = chunk.usage.completion_tokens ?? 0;
      this.usage = {
        input_tokens: input,
        output_tokens: output,
        cached_tokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
        total_tokens: input + output,
      };
    }
    const choice = chunk.choices[0];
    if (!choice) return;
    if (choice.finish_reason) this.rawFinish = choice.finish_reason;
    const delta = choice.delta;
    if (!delta) return;
    if (typeof delta.content === "string" && delta.content !== "") this.emit({ type: "text-delta", delta: delta.content });
    if (typeof delta.refusal === "string" && delta.refusal !== "") {
      this.refused = true;
      this.emit({ type: "text-delta", delta: delta.refusal });
    }
    if (Array.isArray(delta.tool_calls)) for (const d of delta.tool_calls) this.toolCallDelta(d);
  }

  /** The stream ended normally: emit unfinished tool calls, then `finish`. */
  end(): void {
    for (const call of this.calls) if (call && !call.done) this.completeCall(call);
    // As @ai-sdk/openai: an error clears the finish reason seen so far; one sent after the error still counts.
    const finishReason = this.rawFinish !== undefined ? finishReasonOf(this.rawFinish, this.refused) : this.errored ? "error" : "other";
    this.emit({ type: "finish", finishReason, usage: this.usage });
  }

  private fail(kind: "malformed" | "provider", message: string): void {
    this.errored = true;
    this.rawFinish = undefined;
    this.emit({ type: "error", kind, message });
  }

  private toolCallDelta(d: ToolCallDelta): void {
    const index = typeof d.index === "number" ? d.index : this.calls.length;
    let call = this.calls[index];
    if (!call) {
      if (!d.id || !d.function?.name) return this.fail("malformed", "The provider started a tool call without an id or a name.");
      call = { id: d.id, name: d.function.name, args: "", done: false, end: new JsonEndScanner() };
      this.calls[index] = call;
    }
    if (call.done) return;
    const fragment = d.function?.arguments;
    if (!fragment) return;
    call.args += fragment;
    if (call.end.feed(fragment) && isCompleteJson(call.args)) this.completeCall(call);
  }

  private completeCall(call: PendingCall): void {
    call.done = true;
    this.emit({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.args });
  }
}
