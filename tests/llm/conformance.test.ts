import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, type LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatCompletionsModel } from "@/lib/llm/chat-completions/client";
import type { ModelPart } from "@/lib/llm/chat-completions/model-part";
import type { FunctionTool, ModelPrompt } from "@/lib/llm/chat-completions/request-body";
import { reply, sseEvents, startScriptedLlm, text, toolCall, type ScriptedLlm, type ScriptReply } from "../fixtures/scripted-llm/server";

/**
 * Slipway's Chat Completions client against @ai-sdk/openai's chat model, both over HTTP to the scripted server:
 * the same prompt must produce the same request body, and the same wire stream the same parts.
 */

const prompt: ModelPrompt = [
  { role: "system", content: "You are Slipway's agent." },
  {
    role: "user",
    content: [
      { type: "text", text: "Add a dark-mode toggle" },
      // Images as the agent sends them (bytes), as base64 text, and with a wildcard type.
      { type: "file", mediaType: "image/png", data: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 255]) },
      { type: "file", mediaType: "image/*", data: "UklGRhYAAABXRUJQ" },
    ],
  },
  {
    role: "assistant",
    content: [
      { type: "text", text: "Reading the page first." },
      { type: "tool-call", toolCallId: "call_1", toolName: "read_file", input: { path: "index.html" } },
      { type: "tool-call", toolCallId: "call_2", toolName: "list_files", input: {} },
    ],
  },
  {
    role: "tool",
    content: [
      { type: "tool-result", toolCallId: "call_1", toolName: "read_file", output: { type: "text", value: "<h1>Hi</h1>" } },
      { type: "tool-result", toolCallId: "call_2", toolName: "list_files", output: { type: "json", value: { files: ["index.html"], truncated: false } } },
    ],
  },
  { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_3", toolName: "read_file", input: { path: "missing.css" } }] },
  {
    role: "tool",
    content: [{ type: "tool-result", toolCallId: "call_3", toolName: "read_file", output: { type: "error-text", value: "File not found: missing.css" } }],
  },
  {
    role: "user",
    content: [
      { type: "text", text: "Go on" },
      { type: "text", text: "and keep it small" },
    ],
  },
];

const tools: FunctionTool[] = [
  {
    type: "function",
    name: "read_file",
    description: "Read a file",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"], additionalProperties: false },
  },
  { type: "function", name: "list_files", description: "List files", inputSchema: { type: "object", properties: {} } },
];

/** The SDK's parts, reduced to what Slipway's client yields (the SDK also sends start/end markers and an empty first delta). */
function fromSdk(part: LanguageModelV3StreamPart): ModelPart | null {
  switch (part.type) {
    case "text-delta":
      return part.delta === "" ? null : { type: "text-delta", delta: part.delta };
    case "tool-call":
      return { type: "tool-call", toolCallId: part.toolCallId, toolName: part.toolName, input: part.input };
    case "response-metadata":
      return part.modelId ? { type: "response-metadata", modelId: part.modelId } : null;
    case "finish": {
      const u = part.usage;
      const usage =
        u.inputTokens.total === undefined
          ? null
          : {
              input_tokens: u.inputTokens.total,
              output_tokens: u.outputTokens.total ?? 0,
              cached_tokens: u.inputTokens.cacheRead ?? 0,
              total_tokens: u.inputTokens.total + (u.outputTokens.total ?? 0),
            };
      return { type: "finish", finishReason: part.finishReason.unified as Extract<ModelPart, { type: "finish" }>["finishReason"], usage };
    }
    case "error":
      return { type: "error" } as ModelPart;
    default:
      return null;
  }
}

const comparable = (part: ModelPart): ModelPart => (part.type === "error" ? ({ type: "error" } as ModelPart) : part);

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(() => llm.close());

type Run = { parts: ModelPart[]; thrown: unknown; body: unknown };

async function viaSdk(script: ScriptReply, input: ModelPrompt = prompt): Promise<Run> {
  llm.enqueue(script);
  const model = createOpenAI({ baseURL: llm.baseURL, apiKey: "test-key" }).chat("gpt-test");
  const parts: ModelPart[] = [];
  let thrown: unknown = null;
  try {
    const { stream } = await model.doStream({ prompt: input, tools, toolChoice: { type: "auto" } });
    for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) {
      const p = fromSdk(part);
      if (p) parts.push(p);
    }
  } catch (error) {
    thrown = error;
  }
  return { parts, thrown, body: llm.requests.at(-1)!.body };
}

async function viaSlipway(script: ScriptReply, input: ModelPrompt = prompt): Promise<Run> {
  llm.enqueue(script);
  const model = new ChatCompletionsModel("openai-compatible", llm.baseURL, "test-key", "gpt-test");
  const parts: ModelPart[] = [];
  let thrown: unknown = null;
  try {
    for await (const part of await model.stream({ prompt: input, tools, signal: new AbortController().signal, idleTimeoutMs: 5000 }))
      parts.push(comparable(part));
  } catch (error) {
    thrown = error;
  }
  return { parts, thrown, body: llm.requests.at(-1)!.body };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ id: "chatcmpl-raw", object: "chat.completion.chunk", created: 1, model: "gpt-raw", choices: [{ index: 0, delta, finish_reason: finish }] });
const usageChunk = JSON.stringify({
  id: "chatcmpl-raw",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-raw",
  choices: [],
  usage: { prompt_tokens: 7, completion_tokens: 3 },
});

/** The event's bytes, cut in the middle of each of `chars` (multi-byte in UTF-8). */
function splitInsideCharacters(event: string, chars: string[]): Buffer[] {
  const bytes = Buffer.from(event);
  const cuts = chars.map((c) => bytes.indexOf(Buffer.from(c)) + 1);
  return [0, ...cuts].map((from, i) => bytes.subarray(from, cuts[i] ?? bytes.length));
}

const streams: Array<{ name: string; script: ScriptReply; expectParts: (parts: ModelPart[]) => void }> = [
  {
    name: "a text answer with usage and cached tokens",
    script: reply([text("Dark mode is on its way.")], { prompt: 1200, completion: 9, cached: 1024 }),
    expectParts: (parts) => {
      expect(
        parts
          .filter((p) => p.type === "text-delta")
          .map((p) => (p as { delta: string }).delta)
          .join(""),
      ).toBe("Dark mode is on its way.");
      expect(parts.at(-1)).toEqual({
        type: "finish",
        finishReason: "stop",
        usage: { input_tokens: 1200, output_tokens: 9, cached_tokens: 1024, total_tokens: 1209 },
      });
    },
  },
  {
    name: "text, then two tool calls whose arguments arrive in fragments",
    script: reply([
      text("Let me look."),
      toolCall("read_file", { path: "src/components/very/long/path/Toggle.tsx" }, "call_a"),
      toolCall("list_files", { dir: "src" }, "call_b"),
    ]),
    expectParts: (parts) => {
      expect(parts.filter((p) => p.type === "tool-call")).toEqual([
        { type: "tool-call", toolCallId: "call_a", toolName: "read_file", input: JSON.stringify({ path: "src/components/very/long/path/Toggle.tsx" }) },
        { type: "tool-call", toolCallId: "call_b", toolName: "list_files", input: JSON.stringify({ dir: "src" }) },
      ]);
      expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
    },
  },
  {
    name: "CRLF line endings, comment lines, an event split across writes and a character split across writes",
    script: {
      kind: "raw",
      writes: [
        ": OPENROUTER PROCESSING\r\n\r\n",
        `data: ${chunk({ role: "assistant", content: "" })}\r\n\r\n`,
        `data: ${chunk({ content: "caf" }).slice(0, 40)}`,
        `${chunk({ content: "caf" }).slice(40)}\r\n\r\n`,
        ...splitInsideCharacters(`data: ${chunk({ content: "é ☕" })}\n\n`, ["é", "☕"]),
        `data: ${chunk({}, "stop")}\n\ndata: ${usageChunk}\n\ndata: [DONE]\n\n`,
      ],
    },
    expectParts: (parts) => {
      expect(parts.filter((p) => p.type === "text-delta").map((p) => (p as { delta: string }).delta)).toEqual(["caf", "é ☕"]);
      expect(parts.at(-1)).toEqual({ type: "finish", finishReason: "stop", usage: { input_tokens: 7, output_tokens: 3, cached_tokens: 0, total_tokens: 10 } });
    },
  },
  {
    name: "a tool call complete in its first delta, no usage chunk",
    script: {
      kind: "raw",
      writes: [
        `data: ${chunk({ tool_calls: [{ index: 0, id: "call_x", type: "function", function: { name: "list_files", arguments: "{}" } }] })}\n\n`,
        `data: ${chunk({}, "tool_calls")}\n\ndata: [DONE]\n\n`,
      ],
    },
    expectParts: (parts) => {
      expect(parts.filter((p) => p.type === "tool-call")).toEqual([{ type: "tool-call", toolCallId: "call_x", toolName: "list_files", input: "{}" }]);
      expect(parts.at(-1)).toEqual({ type: "finish", finishReason: "tool-calls", usage: null });
    },
  },
  {
    name: "the provider's error chunk after some text",
    script: { kind: "raw", writes: [`data: ${chunk({ content: "Hel" })}\n\n`, `data: {"error":{"message":"Overloaded","code":529}}\n\n`, "data: [DONE]\n\n"] },
    expectParts: (parts) => expect(parts.map((p) => p.type)).toEqual(["response-metadata", "text-delta", "error", "finish"]),
  },
  {
    name: "a chunk that is not JSON",
    script: { kind: "malformed" },
    expectParts: (parts) =>
      expect(parts.filter((p) => p.type === "error" || p.type === "finish")).toEqual([
        { type: "error" },
        { type: "finish", finishReason: "error", usage: null },
      ]),
  },
  {
    name: "a refusal",
    script: { kind: "raw", writes: [`data: ${chunk({ refusal: "I can't help with that." })}\n\n`, `data: ${chunk({}, "stop")}\n\ndata: [DONE]\n\n`] },
    expectParts: (parts) => expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "content-filter" }),
  },
];

describe("Slipway's Chat Completions client matches @ai-sdk/openai", () => {
  it("sends the same request body for a prompt with text, images, tool calls, tool results and tools", async () => {
    const sdk = await viaSdk(reply([text("ok")]));
    const ours = await viaSlipway(reply([text("ok")]));
    expect(ours.body).toEqual(sdk.body);
    expect(llm.requests.at(-1)!.authorization).toBe("Bearer test-key");
  });

  it("sends a tool result's screenshot as a user message with an image part after the tool message, as the SDK does", async () => {
    // What run-agent appends after check_preview's result for a model that reads images (model-images.ts).
    const withScreenshot: ModelPrompt = [
      { role: "system", content: "You are Slipway's agent." },
      { role: "user", content: [{ type: "text", text: "Fix the page" }] },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_9", toolName: "check_preview", input: {} }] },
      {
        role: "tool",
        content: [{ type: "tool-result", toolCallId: "call_9", toolName: "check_preview", output: { type: "json", value: { status: 200, ok: false } } }],
      },
      {
        role: "user",
        content: [
          { type: "text", text: "Screenshot of the preview at / (check_preview)." },
          { type: "file", mediaType: "image/jpeg", data: new Uint8Array([255, 216, 255, 224, 0, 16, 74, 70]) },
        ],
      },
    ];
    const sdk = await viaSdk(reply([text("ok")]), withScreenshot);
    const ours = await viaSlipway(reply([text("ok")]), withScreenshot);
    expect(ours.body).toEqual(sdk.body);
    const messages = (ours.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "user"]);
    expect(messages[4]!.content).toEqual([
      { type: "text", text: "Screenshot of the preview at / (check_preview)." },
      { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQSkY=" } },
    ]);
  });

  it.each(streams)("yields the same parts for $name", async ({ script, expectParts }) => {
    const sdk = await viaSdk(script);
    const ours = await viaSlipway(script);
    expect(sdk.thrown).toBeNull();
    expect(ours.thrown).toBeNull();
    expectParts(ours.parts);
    expect(ours.parts).toEqual(sdk.parts);
  });

  it.each([
    { status: 500, retryable: true },
    { status: 429, retryable: true },
    { status: 400, retryable: false },
    { status: 401, retryable: false },
  ])("fails HTTP $status the same way (APICallError, retryable: $retryable)", async ({ status, retryable }) => {
    const body = { error: { message: `scripted ${status}`, type: "invalid_request_error" } };
    const sdk = await viaSdk({ kind: "status", status, body });
    const ours = await viaSlipway({ kind: "status", status, body });
    for (const run of [sdk, ours]) {
      expect(APICallError.isInstance(run.thrown)).toBe(true);
      const e = run.thrown as APICallError;
      expect({ status: e.statusCode, retryable: e.isRetryable, message: e.message }).toEqual({ status, retryable, message: `scripted ${status}` });
    }
  });

  it("an unreachable provider is a retryable APICallError, as in the SDK", async () => {
    const dead = new ChatCompletionsModel("openai-compatible", "http://127.0.0.1:9/v1", undefined, "m");
    const error = await dead.stream({ prompt, tools: [], signal: new AbortController().signal, idleTimeoutMs: 5000 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).isRetryable).toBe(true);
  });
});

describe("Slipway's Chat Completions client", () => {
  it("closes the upstream connection when the consumer stops early or the signal aborts", async () => {
    const model = new ChatCompletionsModel("openai-compatible", llm.baseURL, "k", "m");
    llm.enqueue(reply([text("a long answer that never ends")], undefined, { hangAfterChunks: 2 }));
    const before = llm.requests.length;
    for await (const part of await model.stream({ prompt, tools, signal: new AbortController().signal, idleTimeoutMs: 5000 })) {
      if (part.type === "text-delta") break;
    }
    expect(await llm.requests[before]!.closed).toEqual({ early: true });

    llm.enqueue(reply([text("another answer")], undefined, { hangAfterChunks: 2 }));
    const controller = new AbortController();
    const parts = await model.stream({ prompt, tools, signal: controller.signal, idleTimeoutMs: 5000 });
    const seen: string[] = [];
    const consumed = (async () => {
      for await (const part of parts) {
        seen.push(part.type);
        if (part.type === "text-delta") controller.abort(new DOMException("cancelled by the user", "AbortError"));
      }
    })();
    await expect(consumed).rejects.toMatchObject({ name: "AbortError" });
    expect(await llm.requests[before + 1]!.closed).toEqual({ early: true });
    expect(seen).toContain("text-delta");
  });

  it("a kept-alive connection the provider dropped while idle is replaced at once: the stream succeeds without the agent's retry", async () => {
    // Answers each connection's first request in full (keep-alive), and resets a connection that brings a second one:
    // the provider's side of the idle-close race.
    const served = new WeakSet<Socket>();
    const seen: Array<"answered" | "reset"> = [];
    const answer = sseEvents(reply([text("fresh connection")]) as Extract<ScriptReply, { kind: "stream" }>, "m", "chatcmpl-stale");
    const server: Server = createServer((req, res) => {
      if (served.has(req.socket)) {
        seen.push("reset");
        req.socket.resetAndDestroy();
        return;
      }
      served.add(req.socket);
      seen.push("answered");
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(answer.map((e) => `data: ${e}\n\n`).join(""));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const model = new ChatCompletionsModel("openai-compatible", `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, undefined, "m");
      const textOf = async () => {
        let out = "";
        for await (const part of await model.stream({ prompt, tools, signal: new AbortController().signal, idleTimeoutMs: 5000 }))
          if (part.type === "text-delta") out += part.delta;
        return out;
      };
      expect(await textOf()).toBe("fresh connection");
      expect(await textOf()).toBe("fresh connection"); // its pooled connection is reset, a new one answers
      expect(seen).toEqual(["answered", "reset", "answered"]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("fails with a TimeoutError when the provider goes silent, and sends no authorization header without a key", async () => {
    const model = new ChatCompletionsModel("ollama", llm.baseURL, undefined, "m");
    llm.enqueue({ kind: "hang" });
    const started = performance.now();
    const consumed = (async () => {
      for await (const part of await model.stream({ prompt, tools: [], signal: new AbortController().signal, idleTimeoutMs: 300 })) void part;
    })();
    await expect(consumed).rejects.toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(llm.requests.at(-1)!.authorization).toBeUndefined();
    expect(llm.requests.at(-1)!.body).not.toHaveProperty("tools");
  });
});
