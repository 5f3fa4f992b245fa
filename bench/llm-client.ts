/**
 * npm run bench:llm-client — CPU per streamed chunk of Slipway's Chat Completions client next to @ai-sdk/openai's
 * chat model (`doStream`), in the same process, against the scripted server running in a child process (so its
 * CPU is not counted). 200 concurrent streams, chunks 25 ms apart (one SSE event per network read, as from a
 * real provider), as in bench:chat's streaming phase. Per request = the cost of a 1-chunk reply; per chunk = the
 * extra cost of a 40-chunk reply over it, divided by the extra chunks.
 *
 * Then one long tool call (a write_file of BENCH_TOOL_KB KB of code, arguments in the scripted server's 16-character
 * fragments, unpaced), one call at a time: CPU per call of both clients, which must find where the arguments end.
 *
 * Knobs: BENCH_STREAMS (200), BENCH_ROUNDS (4; the first is a warm-up), BENCH_TOOL_KB (100).
 */
import { spawn } from "node:child_process";
import { createOpenAI } from "@ai-sdk/openai";
import { ChatCompletionsModel } from "../lib/llm/chat-completions/client";
import type { FunctionTool, ModelPrompt } from "../lib/llm/chat-completions/request-body";

const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const LONG = 40;
const TOOL_KB = Number(process.env.BENCH_TOOL_KB ?? 100);
const TOOL_CALLS = 6;

/** The scripted server in a child process, replying with `words` text chunks 25 ms apart; resolves its base URL. */
const textServer = (words: number) =>
  scriptedServer(`
    const words = Array.from({ length: ${words} }, (_, i) => "word" + String(i).padStart(3, "0") + " ").join("");
    const script = reply([text(words)], { prompt: 100, completion: ${words} }, { textChunkChars: 8, chunkDelayMs: 25 });`);

/** The scripted server replying with one write_file call of `kb` KB of code, its arguments in 16-character fragments. */
const toolServer = (kb: number) =>
  scriptedServer(`
    const content = "export function Item({ id }) {\\n  return <li key={id}>{id}</li>;\\n}\\n".repeat(Math.ceil(${kb * 1024} / 60)).slice(0, ${kb * 1024});
    const script = reply([toolCall("write_file", { path: "src/App.tsx", content })], { prompt: 100, completion: ${kb * 256} });`);

/** Runs the scripted server in a child process with the reply `script` (built by `setup`); resolves its base URL. */
function scriptedServer(setup: string): Promise<{ baseURL: string; stop: () => void }> {
  const code = `
    import { reply, startScriptedLlm, text, toolCall } from "./tests/fixtures/scripted-llm/server";
    ${setup}
    const llm = await startScriptedLlm({ defaultReply: script });
    console.log(llm.baseURL);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve({ baseURL: d.toString().trim(), stop: () => child.kill() }));
    child.once("exit", (c) => reject(new Error(`scripted server exited with ${c}`)));
  });
}

const prompt: ModelPrompt = [{ role: "user", content: [{ type: "text", text: "hi" }] }];
const writeFile: FunctionTool = {
  type: "function",
  name: "write_file",
  description: "Write a file",
  inputSchema: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
};

/** Each client's call for one tool-call reply: resolves the length of the arguments it emitted. */
const toolCallers: Record<string, (baseURL: string) => () => Promise<number>> = {
  "@ai-sdk/openai doStream": (baseURL) => {
    const model = createOpenAI({ baseURL, apiKey: "bench" }).chat("gpt-4o-mini");
    return async () => {
      const { stream } = await model.doStream({ prompt, tools: [writeFile], toolChoice: { type: "auto" } });
      let length = 0;
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return length;
        if (value.type === "tool-call") length += value.input.length;
      }
    };
  },
  "Slipway ChatCompletionsModel": (baseURL) => {
    const model = new ChatCompletionsModel("openai-compatible", baseURL, "bench", "gpt-4o-mini");
    return async () => {
      let length = 0;
      for await (const part of await model.stream({ prompt, tools: [writeFile], signal: new AbortController().signal, idleTimeoutMs: 30_000 })) {
        if (part.type === "tool-call") length += part.input.length;
      }
      return length;
    };
  },
};

/** CPU (ms) per call, one call at a time, after one warm-up call. */
async function measureToolCall(call: () => Promise<number>): Promise<{ cpuMs: number; argsLength: number }> {
  const argsLength = await call();
  const before = process.cpuUsage();
  for (let i = 0; i < TOOL_CALLS; i++) if ((await call()) !== argsLength) throw new Error("tool call arguments differ between calls");
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000 / TOOL_CALLS, argsLength };
}

type Client = (baseURL: string) => () => Promise<number>;

const clients: Record<string, Client> = {
  "@ai-sdk/openai doStream": (baseURL) => {
    const model = createOpenAI({ baseURL, apiKey: "bench" }).chat("gpt-4o-mini");
    return async () => {
      const { stream } = await model.doStream({ prompt, toolChoice: { type: "auto" } });
      let n = 0;
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return n;
        if (value.type === "text-delta" && value.delta) n++;
      }
    };
  },
  "Slipway ChatCompletionsModel": (baseURL) => {
    const model = new ChatCompletionsModel("openai-compatible", baseURL, "bench", "gpt-4o-mini");
    return async () => {
      let n = 0;
      for await (const part of await model.stream({ prompt, tools: [], signal: new AbortController().signal, idleTimeoutMs: 30_000 }))
        if (part.type === "text-delta") n++;
      return n;
    };
  },
};

/** CPU (µs) per round of STREAMS concurrent calls, averaged over the rounds after the first; chunks per round. */
async function measure(call: () => Promise<number>): Promise<{ cpu: number; chunks: number }> {
  let cpu = 0;
  let chunks = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const before = process.cpuUsage();
    const counts = await Promise.all(Array.from({ length: STREAMS }, call));
    const used = process.cpuUsage(before);
    if (round === 0) continue;
    cpu += used.user + used.system;
    chunks += counts.reduce((a, b) => a + b, 0);
  }
  return { cpu: cpu / (ROUNDS - 1), chunks: chunks / (ROUNDS - 1) };
}

async function main() {
  const short = await textServer(1);
  const long = await textServer(LONG);
  const tool = await toolServer(TOOL_KB);
  try {
    console.log(`${STREAMS} concurrent streams, 1 and ${LONG} text chunks 25 ms apart, ${ROUNDS - 1} measured rounds each\n`);
    const results: Record<string, { request: number; chunk: number }> = {};
    for (const [name, client] of Object.entries(clients)) {
      const one = await measure(client(short.baseURL));
      const many = await measure(client(long.baseURL));
      const request = one.cpu / STREAMS;
      const chunk = (many.cpu - one.cpu) / (many.chunks - one.chunks);
      results[name] = { request, chunk };
      console.log(
        `${name.padEnd(30)} per request ${(request / 1000).toFixed(2)} ms CPU   per chunk ${chunk.toFixed(1)} µs CPU   (${many.chunks} chunks a round)`,
      );
    }
    const [sdk, ours] = Object.values(results) as [{ request: number; chunk: number }, { request: number; chunk: number }];
    console.log(`\nSlipway / SDK: per request ${(ours.request / sdk.request).toFixed(2)}, per chunk ${(ours.chunk / sdk.chunk).toFixed(2)}`);
    console.log(
      `CPU for 8,000 chunks/s (200 streams × 40 chunks/s): SDK ${((sdk.chunk * 8000) / 1e6).toFixed(2)} cores, Slipway ${((ours.chunk * 8000) / 1e6).toFixed(2)} cores`,
    );

    console.log(`\nOne write_file call of ${TOOL_KB} KB, arguments in 16-character fragments, ${TOOL_CALLS} calls after a warm-up`);
    const perCall: number[] = [];
    for (const [name, caller] of Object.entries(toolCallers)) {
      const { cpuMs, argsLength } = await measureToolCall(caller(tool.baseURL));
      perCall.push(cpuMs);
      console.log(`${name.padEnd(30)} ${cpuMs.toFixed(1)} ms CPU per call   (arguments: ${argsLength} characters)`);
    }
    console.log(`\nSlipway / SDK per tool call: ${(perCall[1]! / perCall[0]!).toFixed(2)}`);
  } finally {
    short.stop();
    long.stop();
    tool.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
