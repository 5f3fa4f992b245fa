import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamFailure } from "@/lib/llm/chat-completions/http-stream";
import { IoThread } from "@/lib/llm/chat-completions/io-thread";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { rawStream } from "./support";

let llm: ScriptedLlm;
beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(() => llm.close());

describe("the LLM I/O thread", () => {
  it("fails the streams it carried when it dies, so no turn waits forever", async () => {
    const thread = new IoThread(path.resolve("tests/fixtures/dying-io-worker.mjs"));
    const failure = await new Promise<StreamFailure>((resolve, reject) =>
      thread.start(
        { url: `${llm.baseURL}/chat/completions`, headers: {}, payload: "{}", idleTimeoutMs: 5000 },
        { response: () => reject(new Error("unexpected response")), parts: () => undefined, end: () => reject(new Error("unexpected end")), fail: resolve },
      ),
    );
    expect(failure).toEqual({ kind: "closed", message: "The LLM I/O thread stopped (exit code 3)." });
    expect(thread.dead).toBe(true);
  });

  it("carries many concurrent streams for the main thread, each with its own parts", async () => {
    const thread = new IoThread();
    const answers = Array.from({ length: 20 }, (_, i) => `answer number ${i} `.repeat(5));
    llm.enqueue(...answers.map((a) => reply([text(a)], undefined, { chunkDelayMs: 2 })));
    const texts = await Promise.all(answers.map(() => rawStream((request, events) => thread.start(request, events), llm.baseURL).done));
    // Requests reach the scripted server in some order; each stream must carry exactly one whole answer.
    expect([...texts].sort()).toEqual([...answers].sort());
    expect(thread.inFlight).toBe(0);
  });
});
