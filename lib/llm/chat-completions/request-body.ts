import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";

export type ModelPrompt = LanguageModelV3Prompt;
export type FunctionTool = LanguageModelV3FunctionTool;

type UserPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/** An image part as @ai-sdk/openai's chat model sends it: the bytes inline as a data URL (or the URL as given). */
function imagePart(data: Uint8Array | string | URL, mediaType: string): UserPart {
  const type = mediaType === "image/*" ? "image/jpeg" : mediaType;
  const url =
    data instanceof URL
      ? data.toString()
      : `data:${type};base64,${typeof data === "string" ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64")}`;
  return { type: "image_url", image_url: { url } };
}

type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | UserPart[] }
  | { role: "assistant"; content: string | null; tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }> }
  | { role: "tool"; tool_call_id: string; content: string };

/** One prompt message as Chat Completions messages (a tool message becomes one per result). */
function chatMessages(message: ModelPrompt[number]): ChatMessage[] {
  switch (message.role) {
    case "system":
      return [{ role: "system", content: message.content }];
    case "user": {
      const parts = message.content.map((part): UserPart => {
        if (part.type === "text") return { type: "text", text: part.text };
        if (part.mediaType.startsWith("image/")) return imagePart(part.data, part.mediaType);
        throw new Error(`Only text and image parts are supported in user messages, not ${part.mediaType}`);
      });
      const only = parts.length === 1 ? parts[0]! : null;
      return [{ role: "user", content: only?.type === "text" ? only.text : parts }];
    }
    case "assistant": {
      let text = "";
      const toolCalls: NonNullable<Extract<ChatMessage, { role: "assistant" }>["tool_calls"]> = [];
      for (const part of message.content) {
        if (part.type === "text") text += part.text;
        else if (part.type === "tool-call") {
          const args = typeof part.input === "string" ? part.input : JSON.stringify(part.input);
          toolCalls.push({ id: part.toolCallId, type: "function", function: { name: part.toolName, arguments: args } });
        }
      }
      return [toolCalls.length > 0 ? { role: "assistant", content: text || null, tool_calls: toolCalls } : { role: "assistant", content: text }];
    }
    case "tool": {
      const out: ChatMessage[] = [];
      for (const part of message.content) {
        if (part.type !== "tool-result") continue;
        const output = part.output;
        let content: string;
        switch (output.type) {
          case "text":
          case "error-text":
            content = output.value;
            break;
          case "execution-denied":
            content = output.reason ?? "Tool call execution denied.";
            break;
          default:
            content = JSON.stringify(output.value);
        }
        out.push({ role: "tool", tool_call_id: part.toolCallId, content });
      }
      return out;
    }
  }
}

/**
 * The Chat Completions request for an ai SDK prompt and function tools, as @ai-sdk/openai's chat model builds it
 * (tests/llm compare the two byte for byte). Only what the agent sends is supported: text, images in user messages,
 * tool calls, tool results.
 */
export function chatCompletionsBody(modelId: string, prompt: ModelPrompt, tools: FunctionTool[]): Record<string, unknown> {
  return {
    model: modelId,
    messages: prompt.flatMap(chatMessages),
    ...toolFields(tools),
    stream: true,
    stream_options: { include_usage: true },
  };
}

function toolFields(tools: FunctionTool[]): Record<string, unknown> {
  return tools.length > 0
    ? {
        tools: tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.inputSchema } })),
        tool_choice: "auto",
      }
    : {};
}

/**
 * The JSON text of a prompt message's Chat Completions messages, kept per message object: a turn's prompt carries
 * the session's earlier messages (the same objects turn after turn, see history-prompt.ts), so each is serialized
 * once rather than with every request. A message with files is not kept (its images are large, and an earlier tool
 * screenshot's content is replaced later, run-agent.ts); no other prompt message is changed once built.
 */
const messageJson = new WeakMap<object, string>();

function chatMessagesJson(message: ModelPrompt[number]): string {
  let json = messageJson.get(message);
  if (json !== undefined) return json;
  json = chatMessages(message)
    .map((m) => JSON.stringify(m))
    .join(",");
  if (message.role !== "user" || message.content.every((part) => part.type === "text")) messageJson.set(message, json);
  return json;
}

/** JSON.stringify(chatCompletionsBody(modelId, prompt, tools)), with each message's JSON reused (chatMessagesJson). */
export function chatCompletionsPayload(modelId: string, prompt: ModelPrompt, tools: FunctionTool[]): string {
  const messages = prompt
    .map(chatMessagesJson)
    .filter((json) => json !== "")
    .join(",");
  const rest = JSON.stringify({ ...toolFields(tools), stream: true, stream_options: { include_usage: true } });
  return `{"model":${JSON.stringify(modelId)},"messages":[${messages}],${rest.slice(1)}`;
}
