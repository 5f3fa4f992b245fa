/**
 * Worker-thread side of lib/agent/agent-thread.ts: runs `runAgent` (the ai SDK's streamText and the LLM HTTP
 * stream) away from the server's main thread. Tools are the real definitions (same schemas, same input
 * validation by the SDK) whose execute asks the main thread, where the project's files, containers and
 * database live.
 */
import { parentPort } from "node:worker_threads";
import type { Tool, ToolSet } from "ai";
import { languageModel } from "@/lib/llm/providers";
import { buildTools } from "./tools";
import { runAgent } from "./run-agent";
import type { FromWorker, SinkEvent, ToWorker } from "./agent-thread";

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

interface Running {
  controller: AbortController;
  calls: Map<number, { resolve: (output: unknown) => void; reject: (error: Error) => void }>;
}
const runs = new Map<number, Running>();
let nextCall = 0;

// Only the definitions are used here (description, schema); execute is replaced below.
const definitions = buildTools({
  projectId: "",
  userId: "",
  sessionId: "",
  signal: new AbortController().signal,
  changedFiles: new Set(),
  status: () => undefined,
  beforeChange: async () => undefined,
  log: undefined as never,
}) as ToolSet;

function remoteTools(runId: number, running: Running): ToolSet {
  const tools: ToolSet = {};
  for (const [name, definition] of Object.entries(definitions)) {
    tools[name] = {
      ...definition,
      execute: (input: unknown) =>
        new Promise((resolve, reject) => {
          const callId = nextCall++;
          running.calls.set(callId, { resolve, reject });
          post({ type: "tool", runId, callId, tool: name, input });
        }),
    } as Tool;
  }
  return tools;
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "run": {
      const running: Running = { controller: new AbortController(), calls: new Map() };
      runs.set(message.runId, running);
      const { runId, provider, model, idleTimeoutMs, ...run } = message;
      const send = (event: SinkEvent) => post({ type: "sink", runId, event });
      void runAgent(
        { ...run, model: languageModel(provider, model, { idleTimeoutMs }), tools: remoteTools(runId, running), signal: running.controller.signal },
        {
          thinking: (step) => send({ kind: "thinking", step }),
          text: (delta, step) => send({ kind: "text", delta, step }),
          toolCall: (call) => send({ kind: "toolCall", call }),
          toolResult: (result) => send({ kind: "toolResult", result }),
          // The main thread records usage in order; the stream does not wait for it.
          stepFinished: async (step) => send({ kind: "stepFinished", step }),
        },
      )
        .then((outcome) => post({ type: "done", runId, outcome }))
        .catch((error: unknown) => post({ type: "failed", runId, message: error instanceof Error ? error.message : String(error) }))
        .finally(() => runs.delete(runId));
      return;
    }
    case "abort":
      runs.get(message.runId)?.controller.abort(new DOMException("cancelled by the user", "AbortError"));
      return;
    case "toolDone": {
      const call = runs.get(message.runId)?.calls;
      const pending = call?.get(message.callId);
      if (!pending) return;
      call!.delete(message.callId);
      if ("error" in message) pending.reject(new Error(message.error));
      else pending.resolve(message.output);
      return;
    }
  }
});

post({ type: "ready" });
