import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../api/support";
import { reply, text } from "../fixtures/scripted-llm/server";
import { startServer } from "../helpers/server";
import { ChatClient, chatWorldOf, createProject, startChatWorld, storedConversation, type ChatWorld } from "./support";

type Session = { id: string; title: string; created_at: string; updated_at: string; message_count: number; last_message_preview: string | null };
type Page<T> = { data: T; metadata: Record<string, unknown> };

async function json<T>(res: Response, status = 200): Promise<T> {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  return JSON.parse(body) as T;
}

/** Sends one prompt on the socket (in `sessionId`, or a new session) and waits for the turn's completion. */
async function turn(client: ChatClient, content: string, sessionId: string | null = null): Promise<string> {
  const before = client.of("completion").length;
  client.send({ type: "user_message", content, session_id: sessionId });
  const done = await client.completion(before + 1);
  expect(done.metadata.status).toBe("complete");
  return done.session_id!;
}

describe("chat sessions: list, rename, delete", () => {
  let world: ChatWorld;
  let bob: ChatWorld;
  let projectId: string;
  let client: ChatClient;
  let first: string;
  let second: string;
  const longPrompt = `Build a landing page ${"with a very long description ".repeat(10)}`;

  beforeAll(async () => {
    world = await startChatWorld();
    bob = await chatWorldOf(world.server, world.llm, "bob");
    projectId = await createProject(world);
    client = await ChatClient.open(world, projectId);
    world.llm.enqueue(reply([text("First answer.")]));
    first = await turn(client, "Make the title blue");
    world.llm.enqueue(reply([text("Second answer, in another chat.")]));
    second = await turn(client, longPrompt);
    world.llm.enqueue(reply([text("Third answer.")]));
    await turn(client, "And make it bold", first);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await world?.stop();
  });

  const list = async (w = world, query = "") => json<Page<Session[]>>(await w.api(`/api/v1/projects/${projectId}/sessions${query}`));

  it("lists the sessions newest activity first, with counts and a preview of the last message", async () => {
    const { data, metadata } = await list();
    expect(data.map((s) => s.id)).toEqual([first, second]);
    expect(data[0]).toMatchObject({ title: "Make the title blue", message_count: 4, last_message_preview: "Third answer." });
    expect(data[1]!.message_count).toBe(2);
    expect(data[1]!.last_message_preview).toBe("Second answer, in another chat.");
    expect(data[1]!.title.startsWith("Build a landing page")).toBe(true);
    expect(Date.parse(data[0]!.updated_at)).toBeGreaterThanOrEqual(Date.parse(data[1]!.updated_at));
    expect(metadata).toMatchObject({ total: 2, limit: 50, offset: 0, has_more: false });

    const paged = await list(world, "?limit=1&offset=1");
    expect(paged.data.map((s) => s.id)).toEqual([second]);
    expect(paged.metadata).toMatchObject({ total: 2, limit: 1, offset: 1, has_more: false });
  });

  it("cuts the preview at 120 characters", async () => {
    world.llm.enqueue(reply([text("x".repeat(300))]));
    await turn(client, "Say a lot", second);
    const s = (await list()).data.find((x) => x.id === second)!;
    expect(s.last_message_preview).toBe("x".repeat(120));
    expect((await list()).data[0]!.id).toBe(second);
  });

  it("renames a session (trimmed) and refuses a bad title", async () => {
    const res = await json<Page<{ id: string; title: string }>>(
      await world.api(`/api/v1/chat/${first}`, { method: "PATCH", body: JSON.stringify({ title: "  Colour work  " }) }),
    );
    expect(res.data).toMatchObject({ id: first, title: "Colour work" });
    expect((await list()).data.find((s) => s.id === first)!.title).toBe("Colour work");

    for (const title of ["", "   ", "y".repeat(201)]) {
      await expectError(await world.api(`/api/v1/chat/${first}`, { method: "PATCH", body: JSON.stringify({ title }) }), 400, "bad_request");
    }
    await expectError(await world.api(`/api/v1/chat/${first}`, { method: "PATCH", body: JSON.stringify({}) }), 400, "bad_request");
    await expectError(await world.api(`/api/v1/chat/${first}`, { method: "PATCH", body: JSON.stringify({ title: "ok", extra: 1 }) }), 400, "bad_request");
    await expectError(await world.api(`/api/v1/chat/not-a-uuid`, { method: "PATCH", body: JSON.stringify({ title: "ok" }) }), 400, "bad_request");
    expect((await list()).data.find((s) => s.id === first)!.title).toBe("Colour work");
  });

  it("keeps another user's sessions out of reach: 404 for PATCH and DELETE, nothing in their list", async () => {
    await expectError(await bob.api(`/api/v1/chat/${first}`, { method: "PATCH", body: JSON.stringify({ title: "mine now" }) }), 404, "not_found");
    await expectError(await bob.api(`/api/v1/chat/${first}`, { method: "DELETE" }), 404, "not_found");
    await expectError(await bob.api(`/api/v1/projects/${projectId}/sessions`), 404, "not_found");
    const own = await createProject(bob);
    const theirs = await json<Page<Session[]>>(await bob.api(`/api/v1/projects/${own}/sessions`));
    expect(theirs.data).toEqual([]);
    expect((await list()).data.find((s) => s.id === first)!.title).toBe("Colour work");
  });

  it("refuses to delete a session while a turn runs in it (409), then deletes it", async () => {
    world.llm.enqueue(reply([text("A slow answer that streams for a while.")], undefined, { textChunkChars: 4, pauseAfterChunks: 2 }));
    const before = client.of("completion").length;
    client.send({ type: "user_message", content: "Take your time", session_id: first });
    await client.waitFor("agent_response", (f) => f.session_id === first && f.content.length > 0);
    await expectError(await world.api(`/api/v1/chat/${first}`, { method: "DELETE" }), 409, "conflict");
    world.llm.release();
    await client.completion(before + 1);
    expect((await storedConversation(world, projectId, first)).length).toBe(6);

    const usageBefore = await json<Page<{ calls: unknown[] }>>(await world.api(`/api/v1/tokens/usage/${first}`));
    expect(usageBefore.data.calls.length).toBeGreaterThan(0);
    const res = await json<Page<{ session_id: string; deleted: boolean }>>(await world.api(`/api/v1/chat/${first}`, { method: "DELETE" }));
    expect(res.data).toEqual({ session_id: first, deleted: true });

    expect(await storedConversation(world, projectId, first)).toEqual([]);
    expect((await list()).data.map((s) => s.id)).toEqual([second]);
    const usageAfter = await json<Page<{ session_id: string; calls: unknown[] }>>(await world.api(`/api/v1/tokens/usage/${first}`));
    expect(usageAfter.data.session_id).toBe(first);
    expect(usageAfter.data.calls.length).toBe(usageBefore.data.calls.length);
    await expectError(await world.api(`/api/v1/chat/${first}`, { method: "DELETE" }), 404, "not_found");
    await expectError(await world.api(`/api/v1/chat/${first}`, { method: "PATCH", body: JSON.stringify({ title: "gone" }) }), 404, "not_found");
    // The other session is untouched.
    expect((await storedConversation(world, projectId, second)).length).toBe(4);
  });
});

describe("paging a long conversation by cursor", () => {
  let world: ChatWorld;
  let projectId: string;
  let sessionId: string;
  const ids: string[] = [];
  const second = new Map<string, number>();
  const COUNT = 120;

  beforeAll(async () => {
    world = await startChatWorld();
    projectId = await createProject(world);
    const created = await json<Page<{ id: string }>>(
      await world.api("/api/v1/chat/create-session", { method: "POST", body: JSON.stringify({ project_id: projectId, title: "Long one" }) }),
      201,
    );
    sessionId = created.data.id;
    // The messages go straight into the stopped server's database file (a turn each would take minutes); some share
    // a timestamp, so the order falls back to the id as the server's does.
    const { port, dataDir } = world.server;
    expect(await world.server.stop()).toBe(0);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(`${dataDir}/slipway.duckdb`);
    const connection = await instance.connect();
    try {
      const { randomUUID } = await import("node:crypto");
      const start = Date.parse("2026-01-01T00:00:00Z");
      const rows: string[] = [];
      for (let i = 0; i < COUNT; i++) {
        const id = randomUUID();
        ids.push(id);
        // The newest message stands alone and is the assistant's: a user message newest would be a turn left
        // without an end, which the restart below answers (one more message).
        const s = i === COUNT - 1 ? COUNT : Math.floor(i / 3);
        second.set(id, s);
        const at = new Date(start + s * 1000).toISOString();
        rows.push(`('${id}', '${sessionId}', '${projectId}', '${world.userId}', '${i % 2 ? "assistant" : "user"}', 'message ${i}', '${at}'::TIMESTAMPTZ)`);
      }
      await connection.run(`INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, created_at) VALUES ${rows.join(", ")}`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    // Equal timestamps sort by id, as the server orders them.
    ids.sort((a, b) => second.get(a)! - second.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
    const server = await startServer({
      dataDir,
      port,
      env: { LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: world.llm.baseURL, OPENAI_API_KEY: "sk-test", MODEL_NAME: "gpt-4o-mini" },
    });
    world = { ...world, server, stop: async () => void (await server.stop(), await world.llm.close()) };
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
  });

  const conversations = (query: string) => world.api(`/api/v1/projects/${projectId}/conversations?session_id=${sessionId}&${query}`);

  it("returns every message exactly once, newest page first, each page oldest first", async () => {
    const pages: Array<Page<Array<{ id: string; content: string }>>> = [];
    let query = "latest=true&limit=50";
    for (;;) {
      const page = await json<Page<Array<{ id: string; content: string }>>>(await conversations(query));
      pages.push(page);
      if (!page.metadata.has_more) break;
      expect(page.metadata.next_before).toBe(page.data[0]!.id);
      query = `before=${String(page.metadata.next_before)}&limit=50`;
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages.map((p) => p.data.length)).toEqual([50, 50, 20]);
    expect(pages.at(-1)!.metadata.next_before).toBeNull();
    expect(pages[0]!.metadata.total).toBe(COUNT);
    const seen = pages.reverse().flatMap((p) => p.data.map((m) => m.id));
    expect(seen).toEqual(ids);
    expect(new Set(seen).size).toBe(COUNT);
  });

  it("keeps offset paging (oldest first)", async () => {
    const page = await json<Page<Array<{ id: string }>>>(await conversations("limit=30&offset=45"));
    expect(page.data.map((m) => m.id)).toEqual(ids.slice(45, 75));
    expect(page.metadata).toMatchObject({ total: COUNT, limit: 30, offset: 45, has_more: true });
  });

  it("answers 404 for a cursor that is not a message of the session, 400 for one that is not an id", async () => {
    await expectError(await conversations(`before=${sessionId}`), 404, "not_found");
    await expectError(await conversations("before=nope"), 400, "bad_request");
    await expectError(await conversations("latest=maybe"), 400, "bad_request");
  });
});
