import { asSchema, type Tool, type ToolSet } from "ai";
import type { FunctionTool, ModelPrompt } from "@/lib/llm/chat-completions/request-body";
import { modelImagesOf, type ModelImage } from "./model-images";

export type { FunctionTool, ModelPrompt };
type ToolCallPart = Extract<ModelPrompt[number], { role: "assistant" }>["content"][number] & { type: "tool-call" };
type ToolResultPart = Extract<ModelPrompt[number], { role: "tool" }>["content"][number] & { type: "tool-result" };
export type ToolOutputForModel = ToolResultPart["output"];

/** The JSON schema of a tool's input, derived once per schema object (tool factories share module-level schemas). */
const jsonSchemas = new WeakMap<object, Promise<FunctionTool["inputSchema"]>>();

function jsonSchemaOf(inputSchema: Tool["inputSchema"]): Promise<FunctionTool["inputSchema"]> {
  const key = inputSchema as object;
  let schema = jsonSchemas.get(key);
  if (!schema) {
    schema = Promise.resolve(asSchema(inputSchema).jsonSchema);
    jsonSchemas.set(key, schema);
  }
  return schema;
}

/** The tool definitions sent to the model (what `streamText` would send for these tools). */
export async function functionTools(tools: ToolSet): Promise<FunctionTool[]> {
  return Promise.all(
    Object.entries(tools).map(async ([name, t]) => ({
      type: "function" as const,
      name,
      description: t.description,
      inputSchema: await jsonSchemaOf(t.inputSchema),
    })),
  );
}

export interface ToolCallOutcome {
  ok: boolean;
  /** What the tool returned (or `{ error }` when it threw or its input was invalid). */
  output: unknown;
  /** The same, as the model receives it in the next step. */
  forModel: ToolOutputForModel;
  /** Images the tool attached for models that read them (see model-images.ts). */
  images?: ModelImage[];
}

/** The model's tool call: its input parsed and validated against the tool's schema. */
export interface ParsedToolCall {
  id: string;
  tool: string;
  /** The parsed input, or the raw text when it was not JSON. */
  input: unknown;
  /** Why the call cannot run (unknown tool, input not JSON or not matching the schema); the model is told. */
  invalid: string | null;
}

export async function parseToolCall(tools: ToolSet, call: { toolCallId: string; toolName: string; input: string }): Promise<ParsedToolCall> {
  const base = { id: call.toolCallId, tool: call.toolName };
  const t = tools[call.toolName];
  if (!t)
    return {
      ...base,
      input: call.input,
      invalid: `Model tried to call unavailable tool '${call.toolName}'. Available tools: ${Object.keys(tools).join(", ")}.`,
    };
  let value: unknown;
  try {
    value = call.input.trim() === "" ? {} : JSON.parse(call.input);
  } catch {
    return { ...base, input: call.input, invalid: `Invalid input for tool ${call.toolName}: the arguments are not valid JSON.` };
  }
  const validate = asSchema(t.inputSchema).validate;
  if (!validate) return { ...base, input: value, invalid: null };
  const result = await validate(value);
  if (!result.success) return { ...base, input: value, invalid: `Invalid input for tool ${call.toolName}: ${result.error.message}` };
  return { ...base, input: result.value, invalid: null };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a parsed call. A thrown error becomes a failed result the model sees, as `streamText` does. */
export async function executeToolCall(tools: ToolSet, call: ParsedToolCall, options: { abortSignal: AbortSignal }): Promise<ToolCallOutcome> {
  if (call.invalid !== null) return { ok: false, output: { error: call.invalid }, forModel: { type: "error-text", value: call.invalid } };
  const execute = tools[call.tool]!.execute;
  if (!execute) {
    const message = `Tool ${call.tool} has no implementation.`;
    return { ok: false, output: { error: message }, forModel: { type: "error-text", value: message } };
  }
  try {
    const output: unknown = await execute(call.input as never, { toolCallId: call.id, messages: [], abortSignal: options.abortSignal });
    const ok = !(output && typeof output === "object" && "error" in output);
    const forModel: ToolOutputForModel = typeof output === "string" ? { type: "text", value: output } : { type: "json", value: (output ?? null) as never };
    const images = modelImagesOf(output);
    return images.length > 0 ? { ok, output, forModel, images } : { ok, output, forModel };
  } catch (error) {
    const message = errorText(error);
    return { ok: false, output: { error: message }, forModel: { type: "error-text", value: message } };
  }
}

export function toolCallPart(call: ParsedToolCall): ToolCallPart {
  return { type: "tool-call", toolCallId: call.id, toolName: call.tool, input: call.input };
}

export function toolResultPart(call: ParsedToolCall, outcome: ToolCallOutcome): ToolResultPart {
  return { type: "tool-result", toolCallId: call.id, toolName: call.tool, output: outcome.forModel };
}
