/**
 * Runs agent turns in one worker thread. The ai SDK's streaming pipeline (a dozen web-stream layers and several
 * promises per chunk) costs ~0.3 ms of CPU per chunk, and more on the server's main thread, where Next's
 * AsyncLocalStorage hooks run on every promise. In the worker it runs on the other core, without those hooks,
 * and the main thread only forwards frames. Tools still execute here (files, containers, database).
 * Falls back to the main thread when the worker cannot start (e.g. not running under tsx).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ModelMessage, Tool, ToolSet } from "ai";
import { log } from "@/lib/log";
import type { ProviderConfig } from "@/lib/llm/providers";
import { languageModel } from "@/lib/llm/providers";
import { runAgent, type AgentOutcome, type AgentSink } from "./run-agent";

export interface ThreadRun {
  provider: ProviderConfig;
  model: string;
  idleTimeoutMs: number;
  system: string;
  messages: ModelMessage[];
  maxSteps: number;
  maxTokens: number;
}

export type SinkEvent =
  | { kind: "thinking"; step: number }
  | { kind: "text"; delta: string; step: number }
  | { kind: "toolCall"; call: Parameters<AgentSink["toolCall"]>[0] }
  | { kind: "toolResult"; result: Parameters<AgentSink["toolResult"]>[0] }
  | { kind: "stepFinished"; step: Parameters<AgentSink["stepFinished"]>[0] };

export type ToWorker =
  | ({ type: "run"; runId: number } & ThreadRun)
  | { type: "abort"; runId: number }
  | { type: "toolDone"; runId: number; callId: number; output: unknown }
  | { type: "toolDone"; runId: number; callId: number; error: string };

export type FromWorker =
  | { type: "sink"; runId: number; event: SinkEvent }
  | { type: "tool"; runId: number; callId: number; tool: string; input: unknown }
  | { type: "ready" }
  | { type: "done"; runId: number; outcome: AgentOutcome }
  | { type: "failed"; runId: number; message: string };

const threadLog = log.child({ module: "agent-thread" });

interface Client {
  run: ThreadRun;
  tools: ToolSet;
  sink: AgentSink;
  signal: AbortSignal;
  resolve: (outcome: AgentOutcome) => void;
  reject: (error: Error) => void;
}

interface WorkerState {
  worker: Worker;
  clients: Map<number, Client>;
  /** Set once the worker has loaded its modules; a worker that fails before that disables the pool. */
  ready: boolean;
}

/**
 * Workers in the pool (a turn goes to the one with the fewest running turns): one core is left to the main
 * thread. On 2 cores that is one worker; a second one measured no better there.
 */
const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
const globalForWorker = globalThis as unknown as { slipwayAgentWorkers?: Array<WorkerState | undefined>; slipwayAgentThreadsOff?: boolean };
let nextRun = 0;

function crashed(message: string): AgentOutcome {
  return {
    text: "",
    parts: [],
    steps: 0,
    usage: { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 },
    stopReason: "error",
    error: { code: "provider_error", message },
  };
}

function startWorker(slot: number): WorkerState | null {
  try {
    const entry = new URL("./agent-worker.ts", import.meta.url).href;
    // tsx's loader is registered inside the worker before the TypeScript entry is imported.
    const worker = new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
    worker.unref();
    const clients = new Map<number, Client>();
    const state: WorkerState = { worker, clients, ready: false };
    worker.on("message", (message: FromWorker) => onMessage(state, message));
    let stopped = false;
    const fail = (error: unknown) => {
      if (stopped) return; // "error" is followed by "exit"
      stopped = true;
      threadLog.error("agent worker stopped", { error });
      if (globalForWorker.slipwayAgentWorkers?.[slot] === state) globalForWorker.slipwayAgentWorkers[slot] = undefined; // restarted on the next turn
      const stranded = [...clients.values()];
      clients.clear();
      if (!state.ready) {
        // It could not load (e.g. not running under tsx): every turn runs on the main thread from now on.
        globalForWorker.slipwayAgentThreadsOff = true;
        for (const c of stranded) runInThread(c.run, c.tools, c.signal, c.sink).then(c.resolve, c.reject);
        return;
      }
      for (const c of stranded) c.resolve(crashed("The agent failed unexpectedly."));
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    return state;
  } catch (error) {
    threadLog.warn("agent worker unavailable; turns run on the main thread", { error });
    return null;
  }
}

function onMessage(state: WorkerState, message: FromWorker) {
  if (message.type === "ready") {
    state.ready = true;
    return;
  }
  const client = state.clients.get(message.runId);
  if (!client) return;
  switch (message.type) {
    case "sink": {
      const e = message.event;
      if (e.kind === "thinking") client.sink.thinking(e.step);
      else if (e.kind === "text") client.sink.text(e.delta, e.step);
      else if (e.kind === "toolCall") client.sink.toolCall(e.call);
      else if (e.kind === "toolResult") client.sink.toolResult(e.result);
      else void client.sink.stepFinished(e.step);
      return;
    }
    case "tool":
      void runTool(state.worker, client, message);
      return;
    case "done":
      state.clients.delete(message.runId);
      client.resolve(message.outcome);
      return;
    case "failed":
      state.clients.delete(message.runId);
      client.reject(new Error(message.message));
      return;
  }
}

async function runTool(worker: Worker, client: Client, call: Extract<FromWorker, { type: "tool" }>) {
  const reply = (message: ToWorker) => {
    try {
      worker.postMessage(message);
    } catch {
      // Not structured-cloneable: send what JSON keeps, as the model would see it anyway.
      worker.postMessage({ ...message, output: JSON.parse(JSON.stringify((message as { output?: unknown }).output ?? null)) as unknown });
    }
  };
  try {
    const execute = (client.tools[call.tool] as Tool | undefined)?.execute;
    if (!execute) throw new Error(`Unknown tool ${call.tool}`);
    const output: unknown = await execute(call.input as never, { toolCallId: String(call.callId), messages: [], abortSignal: client.signal });
    reply({ type: "toolDone", runId: call.runId, callId: call.callId, output });
  } catch (error) {
    reply({ type: "toolDone", runId: call.runId, callId: call.callId, error: error instanceof Error ? error.message : String(error) });
  }
}

function runInThread(run: ThreadRun, tools: ToolSet, signal: AbortSignal, sink: AgentSink): Promise<AgentOutcome> {
  const { provider, model, idleTimeoutMs, ...rest } = run;
  return runAgent({ ...rest, model: languageModel(provider, model, { idleTimeoutMs }), tools, signal }, sink);
}

function pickWorker(): WorkerState | null {
  if (globalForWorker.slipwayAgentThreadsOff) return null;
  const pool = (globalForWorker.slipwayAgentWorkers ??= Array.from({ length: POOL_SIZE }, () => undefined));
  let best: WorkerState | null = null;
  for (let slot = 0; slot < pool.length; slot++) {
    let state = pool[slot];
    if (!state) {
      const started = startWorker(slot);
      if (!started) {
        globalForWorker.slipwayAgentThreadsOff = true;
        return null;
      }
      state = pool[slot] = started;
    }
    if (!best || state.clients.size < best.clients.size) best = state;
  }
  return best;
}

/** `runAgent` in a worker thread, with `tools` executed here. Same outcome and sink calls as `runAgent`. */
export function runAgentOffThread(run: ThreadRun, tools: ToolSet, signal: AbortSignal, sink: AgentSink): Promise<AgentOutcome> {
  const state = pickWorker();
  if (!state) return runInThread(run, tools, signal, sink);
  const runId = nextRun++;
  return new Promise<AgentOutcome>((resolve, reject) => {
    state.clients.set(runId, { run, tools, sink, signal, resolve, reject });
    const abort = () => state.worker.postMessage({ type: "abort", runId } satisfies ToWorker);
    if (signal.aborted) queueMicrotask(abort);
    else signal.addEventListener("abort", abort, { once: true });
    state.worker.postMessage({ type: "run", runId, ...run } satisfies ToWorker);
  });
}
