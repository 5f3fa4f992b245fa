import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHARS_PER_TOKEN } from "@/lib/agent/tokens";
import { KEEP_TURNS, promptBudget } from "@/lib/chat/compaction";
import { reply, text, toolCall, type ReceivedRequest } from "../fixtures/scripted-llm/server";
import { startServer } from "../helpers/server";
import { ChatClient, createProject, startChatWorld, storedConversation, type ChatWorld } from "./support";

// What the model sees of earlier turns: their tool calls and results, the same from the session's memory and from
// the database; and a long conversation summarised into one stored summary within the model's budget.
let world: ChatWorld;
let projectId: string;

beforeAll(async () => {
  world = await startChatWorld();
  projectId = await createProject(world);
});
afterAll(async () => {
  await world?.stop();
});

/** The same data directory served by a new server process (the session's memory is gone; history comes from DuckDB). */
async function restart(): Promise<void> {
  const { dataDir } = world.server;
  await world.server.stop();
  const server = await startServer({
    dataDir,
    env: {
      LLM_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: world.llm.baseURL,
      OPENAI_API_KEY: "sk-test-key",
      MODEL_NAME: "gpt-4o-mini",
      LLM_CHUNK_TIMEOUT_MS: "1500",
    },
  });
  const { authorization } = world;
  world = {
    ...world,
    server,
    api: (p: string, init: RequestInit = {}) =>
      fetch(`${server.url}${p}`, { ...init, headers: { authorization, "content-type": "application/json", ...(init.headers as Record<string, string>) } }),
    stop: async () => {
      await server.stop();
      await world.llm.close();
    },
  };
}

async function turn(content: string, sessionId?: string, metadata?: Record<string, unknown>): Promise<{ chat: ChatClient; sessionId: string }> {
  const chat = await ChatClient.open(world, projectId);
  chat.send({ type: "user_message", content, ...(sessionId ? { session_id: sessionId } : {}), ...(metadata ? { metadata } : {}) });
  await chat.completion();
  chat.close();
  return { chat, sessionId: chat.of("message_received")[0]!.session_id! };
}

const withoutSystem = (r: ReceivedRequest) => r.body.messages.slice(1);

// These tests restart the server (the second one twice): longer than the default 60 s on a busy machine.
describe("earlier turns' tool calls in the prompt", { timeout: 240_000 }, () => {
  it("sends an earlier turn's tool calls and results as assistant tool-call and tool messages, the same from memory and from the database", async () => {
    world.llm.enqueue(
      reply([text("Creating it."), toolCall("write_file", { path: "about.html", content: "<h1>About us</h1>" }, "call_write_1")]),
      reply([toolCall("read_file", { path: "missing.html" }, "call_read_2")]),
      reply([text("Done: about.html has the heading.")]),
    );
    const first = await turn("Add an about page");
    world.llm.enqueue(reply([text("It says About us.")]));
    await turn("What does it say?", first.sessionId);
    const second = world.llm.requests.at(-1)!;
    expect(withoutSystem(second)).toEqual([
      { role: "user", content: "Add an about page" },
      {
        role: "assistant",
        content: "Creating it.",
        tool_calls: [
          {
            id: "call_write_1",
            type: "function",
            function: { name: "write_file", arguments: JSON.stringify({ path: "about.html", content: "<h1>About us</h1>" }) },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_write_1", content: JSON.stringify({ path: "about.html", created: true, bytes: 17 }) },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_read_2", type: "function", function: { name: "read_file", arguments: JSON.stringify({ path: "missing.html" }) } }],
      },
      { role: "tool", tool_call_id: "call_read_2", content: expect.stringMatching(/not found/i) },
      { role: "assistant", content: "Done: about.html has the heading." },
      { role: "user", content: "What does it say?" },
    ]);

    // A new server process reads the session from DuckDB: the earlier turns reach the model exactly as from memory.
    await restart();
    world.llm.enqueue(reply([text("Yes.")]));
    await turn("Is it there?", first.sessionId);
    const third = world.llm.requests.at(-1)!;
    expect(withoutSystem(third).slice(0, withoutSystem(second).length)).toEqual(withoutSystem(second));
    expect(withoutSystem(third).slice(withoutSystem(second).length)).toEqual([
      { role: "assistant", content: "It says About us." },
      { role: "user", content: "Is it there?" },
    ]);
  });
});

/** Inserts a session of `turns` user/assistant pairs straight into the stopped server's DuckDB file. */
async function seedConversation(dataDir: string, turns: number): Promise<string> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(`${dataDir}/slipway.duckdb`);
  const db = await instance.connect();
  const sessionId = randomUUID();
  try {
    await db.run("INSERT INTO chat_sessions (id, project_id, user_id, title) VALUES ($1, $2, $3, 'Long chat')", [sessionId, projectId, world.userId]);
    // Turn i: the user's message, then an answer that read a file and said so; 10 ms apart, ending a minute ago.
    await db.run(
      `INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, parts, status, created_at)
       SELECT uuid(), $1, $2, $3,
              CASE WHEN n % 2 = 0 THEN 'user' ELSE 'assistant' END,
              CASE WHEN n % 2 = 0 THEN 'Request ' || (n // 2) || ': ' || repeat('make the header bigger ', 40) ELSE 'Answer ' || (n // 2) || ': ' || repeat('changed the header ', 40) END,
              CASE WHEN n % 2 = 0 THEN '[]'::JSON ELSE ('[{"type":"tool_call","id":"call_' || n || '","tool":"read_file","input":{"path":"index.html"}},' ||
                '{"type":"tool_result","id":"call_' || n || '","tool":"read_file","ok":true,"output":{"path":"index.html","content":"<h1>Hi</h1>"}},' ||
                '{"type":"text","text":"Answer ' || (n // 2) || ': ' || repeat('changed the header ', 40) || '"}]')::JSON END,
              'complete',
              now() - INTERVAL 60 SECOND - to_milliseconds(($4 - n) * 10)
       FROM range(0, $4) t(n)`,
      [sessionId, projectId, world.userId, turns * 2],
    );
  } finally {
    db.closeSync();
    instance.closeSync();
  }
  return sessionId;
}

const requestTokens = (r: ReceivedRequest) => Math.ceil(JSON.stringify({ messages: r.body.messages, tools: r.body.tools }).length / CHARS_PER_TOKEN);

describe("compaction of a long conversation", { timeout: 240_000 }, () => {
  it("summarises a 300-turn conversation into one stored summary within the model's budget, keeping the last turns verbatim", async () => {
    await world.server.stop();
    const sessionId = await seedConversation(world.server.dataDir, 300);
    await restart();
    const budget = promptBudget("gpt-4o-mini");
    const before = world.llm.requests.length;
    world.llm.enqueue(
      reply([text("SUMMARY: the user keeps asking to make the header bigger; index.html was read and the header changed each time.")], {
        prompt: 70_000,
        completion: 40,
      }),
      reply([text("Made it bigger again.")], { prompt: 9000, completion: 20 }),
    );
    const { chat } = await turn("Now make it red", sessionId);
    expect(chat.of("status").map((f) => f.metadata.state)).toContain("summarizing");
    expect(chat.of("completion")[0]!.metadata.status).toBe("complete");
    expect(world.llm.requests.length).toBe(before + 2);

    const [summaryCall, agentCall] = world.llm.requests.slice(before) as [ReceivedRequest, ReceivedRequest];
    expect(summaryCall.body.tools).toBeUndefined(); // a tool-less call
    expect(JSON.stringify(summaryCall.body.messages)).toContain("Request 295:");
    expect(JSON.stringify(summaryCall.body.messages)).not.toContain("Request 298:"); // kept verbatim instead

    // The agent's prompt: within the budget, starting from the summary, the last turns verbatim.
    expect(requestTokens(agentCall)).toBeLessThanOrEqual(budget);
    expect(agentCall.body.messages[0]!.content).toContain("SUMMARY: the user keeps asking");
    const history = withoutSystem(agentCall);
    const userTexts = history.filter((m) => m.role === "user").map((m) => String(m.content).split(":")[0]);
    expect(userTexts).toEqual([...Array.from({ length: KEEP_TURNS }, (_, i) => `Request ${300 - KEEP_TURNS + i}`), "Now make it red"]);
    expect(history.filter((m) => m.role === "tool")).toHaveLength(KEEP_TURNS);
    expect(JSON.stringify(history)).not.toContain("Request 1:");

    // The summary call's tokens are a usage row of the turn (step 0) next to the agent's step.
    const usage = await world.api(`/api/v1/tokens/usage/${sessionId}`);
    const list = ((await usage.json()) as { data: { calls: Array<{ step: number; input_tokens: number }> } }).data.calls;
    expect(list.map((r) => [r.step, r.input_tokens])).toEqual([
      [0, 70_000],
      [1, 9000],
    ]);

    // The next turn, on a fresh server, starts from the stored summary without summarising again.
    await restart();
    world.llm.enqueue(reply([text("Red it is.")]));
    await turn("And the footer too", sessionId);
    expect(world.llm.requests.length).toBe(before + 3);
    const next = world.llm.requests.at(-1)!;
    expect(next.body.messages[0]!.content).toContain("SUMMARY: the user keeps asking");
    expect(requestTokens(next)).toBeLessThanOrEqual(budget);
    const nextUsers = withoutSystem(next)
      .filter((m) => m.role === "user")
      .map((m) => String(m.content).split(":")[0]);
    expect(nextUsers.slice(-3)).toEqual(["Request 299", "Now make it red", "And the footer too"]);
    // Every message stays stored: the summary only changes what the model is sent.
    const stored = await storedConversation(world, projectId, sessionId);
    expect(stored.length).toBe(200); // the route's page size
  });
});
