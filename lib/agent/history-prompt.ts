import type { ModelPrompt, ToolOutputForModel } from "./model-tools";
import type { StoredPart } from "./stored-part";

/** One earlier message or this turn's user message, as the agent's prompt is built from it. */
export interface AgentMessage {
  role: "user" | "assistant";
  content: string;
  /** Images sent with a user message, as image parts after its text. */
  images?: Array<{ mime: string; data: Uint8Array }>;
  /**
   * An earlier answer's stored parts (text, tool calls and their results, in order): the model sees that turn as
   * the assistant tool-call messages and tool results it was. Without them, the answer's text alone.
   */
  parts?: StoredPart[];
}

type AssistantContent = Extract<ModelPrompt[number], { role: "assistant" }>["content"];
type ToolContent = Extract<ModelPrompt[number], { role: "tool" }>["content"];

function outputForModel(part: Extract<StoredPart, { type: "tool_result" }>): ToolOutputForModel {
  const output = part.output;
  if (!part.ok) {
    const error = output && typeof output === "object" && "error" in output ? (output as { error: unknown }).error : output;
    return { type: "error-text", value: typeof error === "string" ? error : JSON.stringify(error ?? null) };
  }
  return typeof output === "string" ? { type: "text", value: output } : { type: "json", value: (output ?? null) as never };
}

/**
 * An answer's stored parts as assistant and tool messages: text and tool calls go into an assistant message, and
 * the results that follow them into a tool message after it. A call without a stored result (the turn was
 * stopped while it ran) is left out with its id, as is a result without its call: every call the model sees is
 * answered, as the Chat Completions API requires.
 */
function answerMessages(parts: StoredPart[]): ModelPrompt {
  const answered = new Set<string>();
  for (const p of parts) if (p.type === "tool_result") answered.add(p.id);
  const called = new Set<string>();
  for (const p of parts) if (p.type === "tool_call" && answered.has(p.id)) called.add(p.id);
  const prompt: ModelPrompt = [];
  let assistant: AssistantContent = [];
  let results: ToolContent = [];
  const flush = () => {
    if (assistant.length > 0) prompt.push({ role: "assistant", content: assistant });
    if (results.length > 0) prompt.push({ role: "tool", content: results });
    assistant = [];
    results = [];
  };
  for (const part of parts) {
    if (part.type === "tool_result") {
      if (called.has(part.id)) results.push({ type: "tool-result", toolCallId: part.id, toolName: part.tool, output: outputForModel(part) });
      continue;
    }
    if (results.length > 0) flush();
    if (part.type === "text") {
      if (part.text) assistant.push({ type: "text", text: part.text });
    } else if (called.has(part.id)) assistant.push({ type: "tool-call", toolCallId: part.id, toolName: part.tool, input: part.input });
  }
  flush();
  return prompt;
}

/**
 * The prompt messages of one history message, built once per message object: a session's earlier messages are the
 * same objects turn after turn, so their prompt messages are too, and the request body reuses their JSON
 * (request-body.ts). A message with images is built each time (the images are not kept).
 */
const built = new WeakMap<AgentMessage, ModelPrompt>();

/** The prompt messages of one history message (an answer with tool calls becomes several). */
export function promptMessages(m: AgentMessage): ModelPrompt {
  const known = built.get(m);
  if (known) return known;
  const messages = buildPromptMessages(m);
  if (!m.images?.length) built.set(m, messages);
  return messages;
}

function buildPromptMessages(m: AgentMessage): ModelPrompt {
  if (m.role === "assistant") {
    if (m.parts?.some((p) => p.type === "tool_call")) {
      const messages = answerMessages(m.parts);
      if (messages.length > 0) return messages;
    }
    return [{ role: "assistant", content: [{ type: "text", text: m.content }] }];
  }
  if (!m.images?.length) return [{ role: "user", content: [{ type: "text", text: m.content }] }];
  return [
    {
      role: "user",
      content: [
        ...(m.content ? [{ type: "text" as const, text: m.content }] : []),
        ...m.images.map((i) => ({ type: "file" as const, mediaType: i.mime, data: i.data })),
      ],
    },
  ];
}
