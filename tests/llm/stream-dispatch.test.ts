import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IoThread } from "@/lib/llm/chat-completions/io-thread";
import { StreamDispatch } from "@/lib/llm/chat-completions/stream-dispatch";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { rawStream } from "./support";

let llm: ScriptedLlm;
let thread: IoThread;
beforeAll(async () => {
  llm = await startScriptedLlm();
  thread = new IoThread();
});
afterAll(() => llm.close());

describe("where provider streams are read", () => {
  it("reads up to the limit on the main thread and the rest on the I/O thread; an ended stream frees its place", async () => {
    const dispatch = new StreamDispatch(2, (request, events) => thread.start(request, events));
    const answers = [0, 1, 2].map((i) => `answer ${i} `.repeat(4));
    llm.enqueue(...answers.map((a) => reply([text(a)], undefined, { pauseAfterChunks: 2 })));
    const streams = answers.map(() => rawStream(dispatch.start, llm.baseURL));
    await Promise.all(streams.map((s) => s.answered));
    expect(dispatch.mainThreadStreams).toBe(2);
    expect(thread.inFlight).toBe(1);
    llm.release();
    expect((await Promise.all(streams.map((s) => s.done))).sort()).toEqual([...answers].sort());
    expect(dispatch.mainThreadStreams).toBe(0);
    expect(thread.inFlight).toBe(0);
  });

  it("frees the place of a cancelled or failed stream", async () => {
    const dispatch = new StreamDispatch(1, (request, events) => thread.start(request, events));
    llm.enqueue(reply([text("never finished")], undefined, { pauseAfterChunks: 1 }));
    const first = rawStream(dispatch.start, llm.baseURL);
    await first.answered;
    expect(dispatch.mainThreadStreams).toBe(1);
    first.cancel();
    expect(dispatch.mainThreadStreams).toBe(0);
    llm.release();

    llm.enqueue({ kind: "status", status: 500 });
    await expect(rawStream(dispatch.start, llm.baseURL).done).rejects.toThrow(/^http:/);
    expect(dispatch.mainThreadStreams).toBe(0);
    expect(thread.inFlight).toBe(0);
  });
});
