import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";

export type ModelPrompt = LanguageModelV3Prompt;
export type FunctionTool = LanguageModelV3FunctionTool;

type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | Array<{ type: "text"; text: string }> }
  | { role: "assistant"; content: string | null; tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }> }
  | { role: "tool"; tool_call_id: string; content: string };

/**
 * The Chat Completions request for an ai SDK prompt and function tools, as @ai-sdk/openai's chat model builds it
 * (tests/llm compare the two byte for byte). Only what the agent sends is supported: text, tool calls, tool results.
 */
export function chatCompletionsBody(modelId: string, prompt: ModelPrompt, tools: FunctionTool[]): Record<string, unknown> {
  const messages: ChatMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        messages.push({ role: "system", content: message.content });
        break;
      case "user": {
        const texts = message.content.flatMap((part) => (part.type === "text" ? [{ type: "text" as const, text: part.text }] : []));
        if (texts.length !== message.content.length) throw new Error("Only text parts are supported in user messages");
        messages.push({ role: "user", content: texts.length === 1 ? texts[0]!.text : texts });
        break;
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
        messages.push(toolCalls.length > 0 ? { role: "assistant", content: text || null, tool_calls: toolCalls } : { role: "assistant", content: text });
        break;
      }
      case "tool":
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
          messages.push({ role: "tool", tool_call_id: part.toolCallId, content });
        }
        break;
    }
  }
  return {
    model: modelId,
    messages,
    ...(tools.length > 0
      ? {
          tools: tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.inputSchema } })),
          tool_choice: "auto",
        }
      : {}),
    stream: true,
    stream_options: { include_usage: true },
  };
}
