import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text } from "../fixtures/scripted-llm/server";
import { apiKeyFor } from "../helpers/auth";
import { ChatClient, createProject, expectContiguousSeq, startChatWorld, storedConversation, type ChatWorld } from "./support";

let world: ChatWorld;
let projectId: string;

beforeAll(async () => {
  world = await startChatWorld();
  projectId = await createProject(world);
});
afterAll(async () => {
  await world?.stop();
});

const longAnswer = "The quick brown fox jumps over the lazy dog. ".repeat(6);

const storedMessages = (sessionId: string) => storedConversation(world, projectId, sessionId);

async function usageCalls(sessionId: string) {
  const res = await world.api(`/api/v1/tokens/usage/${sessionId}`);
  return ((await res.json()) as { data: { calls: unknown[] } }).data.calls;
}

/** After a failed turn the same session answers the next message normally. */
async function expectSessionUsable(chat: ChatClient, sessionId: string, n: number) {
  world.llm.enqueue(reply([text("Back to normal.")]));
  chat.send({ type: "user_message", content: "Are you there?", session_id: sessionId });
  const next = await chat.completion(n);
  expect(next.session_id).toBe(sessionId);
  expect(next.metadata.status).toBe("complete");
  expect(next.content).toBe("Back to normal.");
}

describe("cancel", () => {
  it("a cancel frame mid-stream aborts the upstream request (its connection closes) and records nothing more", async () => {
    world.llm.enqueue(reply([text(longAnswer)], { prompt: 50, completion: 50 }, { hangAfterChunks: 4 }));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Tell me a long story" });
    const first = await chat.waitFor("agent_response");
    const sessionId = first.session_id!;
    const request = world.llm.requests.at(-1)!;
    chat.send({ type: "cancel", session_id: sessionId });
    const done = await chat.completion();
    expect(await request.closed).toEqual({ early: true });
    expect(done.metadata).toMatchObject({ status: "cancelled", stop_reason: "cancelled", usage: { total_tokens: 0 } });
    const partial = chat.text();
    expect(partial.length).toBeGreaterThan(0);
    expect(longAnswer.startsWith(partial)).toBe(true);
    expect(partial.length).toBeLessThan(longAnswer.length);
    const framesAtCompletion = chat.frames.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(chat.frames.length).toBe(framesAtCompletion);
    const stored = await storedMessages(sessionId);
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "cancelled"],
    ]);
    expect(stored[1]!.content).toBe(partial);
    expect(await usageCalls(sessionId)).toEqual([]); // the aborted call never reported usage
    await expectSessionUsable(chat, sessionId, 2);
    chat.close();
  });

  it("POST /chat/{session_id}/cancel stops a running turn; a second cancel finds nothing to stop", async () => {
    world.llm.enqueue(reply([text(longAnswer)], undefined, { hangAfterChunks: 3 }));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Another long one" });
    const sessionId = (await chat.waitFor("agent_response")).session_id!;
    const request = world.llm.requests.at(-1)!;
    const res = await world.api(`/api/v1/chat/${sessionId}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toEqual({ session_id: sessionId, cancelled: true });
    expect((await chat.completion()).metadata.status).toBe("cancelled");
    expect(await request.closed).toEqual({ early: true });
    const again = await world.api(`/api/v1/chat/${sessionId}/cancel`, { method: "POST" });
    expect(((await again.json()) as { data: unknown }).data).toEqual({ session_id: sessionId, cancelled: false });
    chat.send({ type: "cancel", session_id: sessionId });
    expect((await chat.waitFor("error")).metadata.code).toBe("not_found");
    chat.close();
  });
});

describe("provider failures end the turn with an error frame and leave the session usable", () => {
  const cases = [
    {
      name: "HTTP 500 (after one retry)",
      replies: [{ kind: "status", status: 500 } as const, { kind: "status", status: 500 } as const],
      code: "provider_error",
      message: /HTTP 500/,
    },
    { name: "a stream that stops sending (chunk timeout)", replies: [{ kind: "hang" } as const], code: "provider_timeout", message: /timed out/ },
    {
      name: "a stream that stops mid-answer (chunk timeout)",
      replies: [reply([text(longAnswer)], undefined, { hangAfterChunks: 3 })],
      code: "provider_timeout",
      message: /timed out/,
    },
    { name: "a malformed stream", replies: [{ kind: "malformed" } as const], code: "provider_error", message: /malformed|failed|provider/ },
    {
      name: "HTTP 401 (a wrong key; the provider's message, which echoes part of it, is not passed on)",
      replies: [
        {
          kind: "status",
          status: 401,
          body: { error: { message: "Incorrect API key provided: sk-test-****************6789.", type: "invalid_request_error", code: "invalid_api_key" } },
        } as const,
      ],
      code: "provider_error",
      message:
        /^The LLM provider refused the request \(HTTP 401\): its API key is missing, wrong, or not allowed to use "gpt-4o-mini"\. Check the key in \.env and restart Slipway\.$/,
    },
    {
      name: "HTTP 404 (an unknown model)",
      replies: [
        {
          kind: "status",
          status: 404,
          body: { error: { message: "The model `gpt-4o-mini` does not exist or you do not have access to it.", code: "model_not_found" } },
        } as const,
      ],
      code: "provider_error",
      message:
        /^The LLM provider does not offer the model "gpt-4o-mini" \(HTTP 404: The model `gpt-4o-mini` does not exist or you do not have access to it\.\)\. Choose another model or set MODEL_NAME\.$/,
    },
    {
      name: "HTTP 400 (the provider's reason is quoted, keys removed)",
      replies: [
        {
          kind: "status",
          status: 400,
          body: { error: { message: "This model's maximum context length is 128000 tokens (key sk-live-abcdef123456 was used)." } },
        } as const,
      ],
      code: "provider_error",
      message: /^The LLM provider rejected the request \(HTTP 400\): This model's maximum context length is 128000 tokens \(key \[key removed\] was used\)\.$/,
    },
    {
      name: "HTTP 429 (after one retry)",
      replies: [{ kind: "status", status: 429 } as const, { kind: "status", status: 429 } as const],
      code: "provider_error",
      message: /rate-limiting requests or the account's quota is used up \(HTTP 429\)/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      world.llm.enqueue(...c.replies);
      const before = world.llm.requests.length;
      const chat = await ChatClient.open(world, projectId);
      chat.send({ type: "user_message", content: `Trigger ${c.name}` });
      const error = await chat.waitFor("error");
      const done = await chat.completion();
      expect(error.metadata.code).toBe(c.code);
      expect(error.content).toMatch(c.message);
      expect(error.content).not.toContain("6789");
      expect(error.seq).not.toBeNull();
      expect(done.metadata).toMatchObject({ status: "failed", stop_reason: "error" });
      expect(world.llm.requests.length - before).toBe(c.replies.length);
      for (const r of world.llm.requests.slice(before)) await r.closed; // no upstream connection left open
      const sessionId = done.session_id!;
      expect((await storedMessages(sessionId)).map((m) => [m.role, m.status])).toEqual([
        ["user", "complete"],
        ["assistant", "failed"],
      ]);
      await expectSessionUsable(chat, sessionId, 2);
      expectContiguousSeq(chat.frames, sessionId);
      chat.close();
    });
  }
});

describe("reconnect and replay", () => {
  it("a client that reconnects mid-answer with session_id and last seq gets the missed frames, then the live stream", async () => {
    world.llm.enqueue(reply([text(longAnswer)], { prompt: 10, completion: 40 }, { pauseAfterChunks: 6, textChunkChars: 5, chunkDelayMs: 40 }));
    const first = await ChatClient.open(world, projectId);
    first.send({ type: "user_message", content: "Stream something long" });
    // By text, not frame count: deltas that arrive together may share a frame.
    await first.waitFor("agent_response", () => first.text().length >= 15);
    const sessionId = first.frames.find((f) => f.session_id)!.session_id!;
    const lastSeen = first.frames.filter((f) => f.seq !== null).at(-1)!.seq!;
    first.ws.terminate(); // a browser refresh
    await first.closed;

    const second = await ChatClient.open(world, projectId, { query: `session_id=${sessionId}&last_seq=${lastSeen}` });
    const resumed = await second.waitFor("status", (f) => f.metadata.state === "resumed");
    expect(resumed.metadata.turn_active).toBe(true);
    world.llm.release();
    const done = await second.completion();
    const seqs = second.frames.filter((f) => f.seq !== null).map((f) => f.seq!);
    expect(seqs[0]).toBe(lastSeen + 1);
    expectContiguousSeq(second.frames, sessionId);
    expect(first.text() + second.text()).toBe(longAnswer);
    expect(done.metadata.status).toBe("complete");

    // A resume frame from 0 replays the whole turn on a fresh socket.
    const third = await ChatClient.open(world, projectId);
    third.send({ type: "resume", session_id: sessionId, metadata: { last_seq: 0 } });
    await third.completion();
    expect(third.frames[0]!.seq).toBe(1);
    expect(third.text()).toBe(longAnswer);
    expect((await third.waitFor("status", (f) => f.metadata.state === "resumed")).metadata).toMatchObject({ replayed: done.seq, turn_active: false });
    // A sequence number beyond what the server has (e.g. before a server restart) is reported as a gap.
    third.send({ type: "resume", session_id: sessionId, metadata: { last_seq: 100_000 } });
    expect((await third.waitFor("error")).metadata.code).toBe("replay_gap");
    second.close();
    third.close();
  });

  it("a second message while a turn runs on the project is refused with busy; the running turn is unaffected", async () => {
    world.llm.enqueue(reply([text("first answer")], undefined, { pauseAfterChunks: 2 }));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "first" });
    const sessionId = (await chat.waitFor("message_received")).session_id!;
    const other = await ChatClient.open(world, projectId);
    other.send({ type: "user_message", content: "second, in a new session" });
    const busy = await other.waitFor("error");
    expect(busy.metadata).toMatchObject({ code: "busy", active_session_id: sessionId });
    expect(busy.seq).toBeNull();
    chat.send({ type: "user_message", content: "second, same session", session_id: sessionId });
    expect((await chat.waitFor("error")).metadata.code).toBe("busy");
    world.llm.release();
    expect((await chat.completion()).content).toBe("first answer");
    expect((await storedMessages(sessionId)).map((m) => m.content)).toEqual(["first", "first answer"]);
    chat.close();
    other.close();
  });
});

describe("bad input", () => {
  it("invalid frames get an error frame and the socket stays open", async () => {
    const chat = await ChatClient.open(world, projectId);
    const bad: Array<[unknown, string | null]> = [
      ["not json", null],
      [{ type: "dance" }, "type"],
      [{ type: "user_message" }, "content"],
      [{ type: "user_message", content: "   " }, "content"],
      [{ type: "user_message", content: "hi", extra: 1 }, "(root)"],
      [{ type: "user_message", content: "hi", session_id: "not-a-uuid" }, "session_id"],
      [{ type: "user_message", content: "hi", metadata: { model: "" } }, "metadata.model"],
      [{ type: "resume", session_id: "00000000-0000-4000-8000-000000000000", metadata: { last_seq: -1 } }, "metadata.last_seq"],
      [{ type: "user_message", content: "hi", project_id: "00000000-0000-4000-8000-000000000000" }, "project_id"],
    ];
    for (const [frame, field] of bad) {
      const count = chat.of("error").length;
      chat.send(frame);
      await chat.waitFor("error", () => chat.of("error").length > count);
      const error = chat.of("error")[count]!;
      expect(error.metadata.code, JSON.stringify(frame)).toBe("invalid_frame");
      if (field)
        expect(
          error.metadata.fields!.map((f) => f.path),
          JSON.stringify(frame),
        ).toContain(field);
    }
    chat.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await chat.waitFor("error", () => chat.of("error").length > bad.length);
    chat.send({ type: "ping" });
    expect((await chat.waitFor("pong")).seq).toBeNull();
    // Unknown or foreign sessions are not found (and nothing is sent upstream).
    const before = world.llm.requests.length;
    chat.send({ type: "user_message", content: "hi", session_id: "00000000-0000-4000-8000-000000000000" });
    expect((await chat.waitFor("error", (f) => f.metadata.code === "not_found")).content).toMatch(/session not found/i);
    chat.send({ type: "resume", session_id: "00000000-0000-4000-8000-000000000001", metadata: { last_seq: 0 } });
    await chat.waitFor("error", (f) => f.metadata.code === "not_found" && f.session_id === "00000000-0000-4000-8000-000000000001");
    expect(world.llm.requests.length).toBe(before);
    expect(chat.ws.readyState).toBe(WebSocket.OPEN);

    // Over 1 MiB: the socket is closed with 1009.
    chat.send({ type: "user_message", content: "x".repeat(1024 * 1024 + 10) });
    expect((await chat.closed).code).toBe(1009);
  });

  it("the upgrade is refused with 404 for an unknown, foreign or malformed project id, 401 without credentials", async () => {
    const bob = await apiKeyFor(world.server.url, "bob");
    const bobProject = await createProject(world, "bobs-site", bob.authorization);
    const refused = async (id: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${world.server.url.replace(/^http/, "ws")}/api/v1/chat/stream/${id}`, { headers: { origin: world.server.url, ...headers } });
        ws.once("open", () => reject(new Error("upgrade accepted")));
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode!));
        ws.once("error", () => undefined);
      });
    const alice = { authorization: world.authorization };
    expect(await refused("00000000-0000-4000-8000-000000000000", alice)).toBe(404);
    expect(await refused(bobProject, alice)).toBe(404);
    expect(await refused("not-a-uuid", alice)).toBe(404);
    expect(await refused(projectId, {})).toBe(401);
    // Bob's own socket works; alice's session ids are not found for him over REST either.
    const bobChat = await ChatClient.open(world, bobProject, { authorization: bob.authorization });
    bobChat.close();
    const aliceSession = (await (
      await world.api("/api/v1/chat/create-session", { method: "POST", body: JSON.stringify({ project_id: projectId }) })
    ).json()) as { data: { id: string } };
    const asBob = (p: string, init: RequestInit = {}) =>
      fetch(`${world.server.url}${p}`, { ...init, headers: { authorization: bob.authorization, "content-type": "application/json" } });
    expect((await asBob(`/api/v1/chat/${aliceSession.data.id}/cancel`, { method: "POST" })).status).toBe(404);
    expect((await asBob(`/api/v1/tokens/usage/${aliceSession.data.id}`)).status).toBe(404);
    expect((await asBob(`/api/v1/tokens/project/${projectId}`)).status).toBe(404);
    expect((await asBob("/api/v1/chat/create-session", { method: "POST", body: JSON.stringify({ project_id: projectId }) })).status).toBe(404);
  });
});
