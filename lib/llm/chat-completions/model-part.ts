import type { Usage } from "@/lib/shared/chat-protocol";

export type FinishReason = "stop" | "length" | "content-filter" | "tool-calls" | "error" | "other";

/** What a streamed Chat Completions call yields (the subset of the ai SDK's stream parts the agent uses). */
export type ModelPart =
  | { type: "text-delta"; delta: string }
  /** A complete tool call; `input` is the arguments' JSON text as the model sent it. */
  | { type: "tool-call"; toolCallId: string; toolName: string; input: string }
  | { type: "response-metadata"; modelId: string }
  /** The last part of a stream that ended normally; `usage` is null when the provider sent none. */
  | { type: "finish"; finishReason: FinishReason; usage: Usage | null }
  /** A failure inside an HTTP 200 stream: a chunk that is not valid JSON, or one carrying the provider's error. */
  | { type: "error"; kind: "malformed" | "provider"; message: string };
