/** What an assistant message stores of its turn, in order (chat_messages.parts; the conversations API shows it). */
export type StoredPart =
  | { type: "text"; text: string }
  | { type: "tool_call"; id: string; tool: string; input: unknown }
  | { type: "tool_result"; id: string; tool: string; ok: boolean; output: unknown };
