import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { ChatClient, createProject, expectContiguousSeq, FAKE_KEY, startChatWorld, storedConversation, type ChatWorld } from "./support";

let world: ChatWorld;
let projectId: string;
const projectFile = (rel: string) => path.join(world.server.dataDir, "projects", projectId, rel);

beforeAll(async () => {
  world = await startChatWorld();
  projectId = await createProject(world);
});
afterAll(async () => {
  await world?.stop();
});

const conversation = (sessionId: string) => storedConversation(world, projectId, sessionId);

describe("chat agent over the WebSocket, against a scripted OpenAI-compatible server", () => {
  it("streams a plain answer: message_received, status, deltas, completion with usage and cost; both messages stored", async () => {
    world.llm.enqueue(reply([text("Hello! I can help you build your site.")], { prompt: 1234, completion: 56, cached: 200 }, { chunkDelayMs: 50 }));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Hi there" });
    const done = await chat.completion();
    const received = chat.of("message_received")[0]!;
    const sessionId = received.session_id!;
    expect(received.content).toBe("Hi there");
    expect(received.metadata.model).toBe("gpt-4o-mini");
    expect(chat.text()).toBe("Hello! I can help you build your site.");
    expect(chat.of("agent_response").length).toBeGreaterThan(1); // streamed as it arrives (chunks 50 ms apart)
    expect(chat.of("status")[0]!.metadata.state).toBe("thinking");
    expectContiguousSeq(chat.frames, sessionId);
    expect(chat.frames.find((f) => f.session_id === sessionId)!.seq).toBe(1);
    // The request goes upstream before these two are made, but they still come first.
    expect(
      chat.frames
        .filter((f) => f.session_id === sessionId)
        .slice(0, 3)
        .map((f) => f.type),
    ).toEqual(["message_received", "status", "agent_response"]);
    expect(done.metadata).toMatchObject({
      status: "complete",
      stop_reason: "done",
      steps: 1,
      model: "gpt-4o-mini",
      provider: "openai-compatible",
      usage: { input_tokens: 1234, output_tokens: 56, cached_tokens: 200, total_tokens: 1290 },
      files_changed: [],
      checkpoint_after: null,
    });
    // gpt-4o-mini: $0.15 / $0.60 per million, cached input $0.075.
    expect(done.metadata.cost_usd).toBeCloseTo((1034 * 0.15 + 200 * 0.075 + 56 * 0.6) / 1e6, 12);

    // What went upstream: the real client, Chat Completions with streamed usage, the key only in the header.
    const request = world.llm.requests.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(request.body.stream).toBe(true);
    expect(request.body.stream_options).toEqual({ include_usage: true });
    expect(request.body.messages.at(-1)).toMatchObject({ role: "user", content: "Hi there" });
    expect(request.body.tools!.map((t) => t.function.name).sort()).toEqual([
      "check_preview",
      "delete_file",
      "edit_file",
      "list_files",
      "read_file",
      "read_logs",
      "rename_file",
      "run_command",
      "search_files",
      "write_file",
    ]);
    expect(JSON.stringify(request.body)).not.toContain(FAKE_KEY);

    const stored = await conversation(sessionId);
    expect(stored.map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", "Hi there"],
      ["assistant", "complete", "Hello! I can help you build your site."],
    ]);
    expect(stored[1]!.id).toBe(done.metadata.message_id);

    // Usage rows match the scripted usage exactly.
    const usage = (await (await world.api(`/api/v1/tokens/usage/${sessionId}`)).json()) as {
      data: { totals: Record<string, number>; calls: Array<Record<string, unknown>> };
    };
    expect(usage.data.calls).toHaveLength(1);
    expect(usage.data.calls[0]).toMatchObject({
      project_id: projectId,
      session_id: sessionId,
      message_id: done.metadata.message_id,
      provider: "openai-compatible",
      model: "gpt-4o-mini",
      step: 1,
      input_tokens: 1234,
      output_tokens: 56,
      cached_tokens: 200,
    });
    expect(usage.data.calls[0]!.cost_usd).toBeCloseTo(done.metadata.cost_usd, 12);
    expect(usage.data.totals).toMatchObject({ calls: 1, input_tokens: 1234, output_tokens: 56, cached_tokens: 200, total_tokens: 1290 });

    // A follow-up in the same session sends the history upstream.
    world.llm.enqueue(reply([text("Sure.")]));
    chat.send({ type: "user_message", content: "And again?", session_id: sessionId });
    await chat.completion(2);
    expect(
      world.llm.requests
        .at(-1)!
        .body.messages.filter((m) => m.role !== "system")
        .map((m) => [m.role, m.content]),
    ).toEqual([
      ["user", "Hi there"],
      ["assistant", "Hello! I can help you build your site."],
      ["user", "And again?"],
    ]);
    expectContiguousSeq(chat.frames, sessionId);
    chat.close();

    // The provider key never reaches a frame or a log line.
    expect(chat.raw.join("\n")).not.toContain(FAKE_KEY);
    expect(world.server.output()).not.toContain(FAKE_KEY);
  });

  it("the answer's first delta goes out at once; the deltas read with it share the next frame", async () => {
    const event = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", model: "gpt-4o-mini", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    // One network write: the whole answer arrives in one read.
    world.llm.enqueue({
      kind: "raw",
      writes: [
        [
          event({ role: "assistant", content: "" }),
          ...["The ", "whole ", "answer ", "at once."].map((t) => event({ content: t })),
          event({}, "stop"),
          "data: [DONE]\n\n",
        ].join(""),
      ],
    });
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "All at once, please" });
    await chat.completion();
    expect(chat.of("agent_response").map((f) => f.content)).toEqual(["The ", "whole answer at once."]);
    chat.close();
  });

  it("lists a project's sessions by latest activity: updated_at is the newest message's time, with message counts", async () => {
    const project = await createProject(world);
    const chat = await ChatClient.open(world, project);
    const turn = async (content: string, sessionId?: string) => {
      world.llm.enqueue(reply([text(`Re: ${content}`)]));
      const before = chat.of("completion").length;
      chat.send({ type: "user_message", content, ...(sessionId ? { session_id: sessionId } : {}) });
      return (await chat.completion(before + 1)).session_id!;
    };
    const a = await turn("first in A");
    const b = await turn("first in B");
    expect(b).not.toBe(a);
    await turn("second in A", a);
    chat.close();
    const res = await world.api(`/api/v1/projects/${project}/conversations`);
    const body = (await res.json()) as {
      data: Array<{ session_id: string; created_at: string }>;
      metadata: { sessions: Array<{ id: string; created_at: string; updated_at: string; message_count: number }> };
    };
    const sessions = body.metadata.sessions;
    expect(sessions.map((s) => [s.id, s.message_count])).toEqual([
      [a, 4],
      [b, 2],
    ]);
    const newest = (id: string) => body.data.filter((m) => m.session_id === id).at(-1)!.created_at;
    expect(Date.parse(sessions[0]!.updated_at)).toBe(Date.parse(newest(a)));
    expect(Date.parse(sessions[1]!.updated_at)).toBe(Date.parse(newest(b)));
    expect(Date.parse(sessions[0]!.updated_at)).toBeGreaterThan(Date.parse(sessions[0]!.created_at));
  });

  it("runs a multi-step edit: tools change the files on disk, a second tab sees file_changed, a checkpoint is stored", async () => {
    const original = fs.readFileSync(projectFile("index.html"), "utf8");
    world.llm.enqueue(
      reply([text("Let me look."), toolCall("list_files", {})], { prompt: 300, completion: 20 }),
      reply([toolCall("read_file", { path: "index.html" })], { prompt: 400, completion: 15 }),
      reply(
        [
          toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Dark mode ready</h1>" }),
          toolCall("write_file", { path: "dark.css", content: "body { background: #111; color: #eee; }\n" }),
        ],
        { prompt: 600, completion: 80 },
      ),
      reply([text("I changed the heading and added dark.css.")], { prompt: 700, completion: 12 }),
    );
    const chat = await ChatClient.open(world, projectId);
    const otherTab = await ChatClient.open(world, projectId, { path: "/ws/chat" });
    chat.send({ type: "user_message", content: "Add a dark mode" });
    const done = await chat.completion();
    expect(done.metadata).toMatchObject({ status: "complete", stop_reason: "done", steps: 4, files_changed: ["dark.css", "index.html"] });
    expect(done.metadata.usage).toEqual({ input_tokens: 2000, output_tokens: 127, cached_tokens: 0, total_tokens: 2127 });
    expect(fs.readFileSync(projectFile("index.html"), "utf8")).toBe(original.replace("<h1>Hello from Slipway</h1>", "<h1>Dark mode ready</h1>"));
    expect(fs.readFileSync(projectFile("dark.css"), "utf8")).toBe("body { background: #111; color: #eee; }\n");

    const calls = chat.of("tool_call").map((f) => f.metadata.tool);
    expect(calls).toEqual(["list_files", "read_file", "edit_file", "write_file"]);
    const results = chat.of("tool_result");
    expect(results.every((r) => r.metadata.ok)).toBe(true);
    expect(JSON.stringify(results[0]!.metadata.output)).toContain("index.html");
    expect(JSON.stringify(results[1]!.metadata.output)).toContain("Hello from Slipway");
    // The model received the tool results on the next step.
    const third = world.llm.requests.at(-2)!.body.messages;
    expect(
      third
        .filter((m) => m.role === "tool")
        .map((m) => JSON.stringify(m.content))
        .join(),
    ).toContain("Hello from Slipway");

    const changed = await otherTab.waitFor("file_changed", (f) => f.metadata.path === "dark.css");
    expect(changed.metadata).toMatchObject({ change: "created", source: "agent" });
    await otherTab.waitFor("file_changed", (f) => f.metadata.path === "index.html");
    expect(otherTab.of("agent_response")).toHaveLength(0); // the other tab is not in this session's stream

    // The checkpoint after the turn is named after the request; before/after are on the assistant message.
    expect(done.metadata.checkpoint_after).toMatch(/^[0-9a-f]{40}$/);
    expect(done.metadata.checkpoint_before).toMatch(/^[0-9a-f]{40}$/);
    const history = (await (await world.api(`/api/v1/projects/${projectId}/history?limit=5`)).json()) as { data: Array<{ id: string; message: string }> };
    expect(history.data[0]).toMatchObject({ id: done.metadata.checkpoint_after, message: "Agent: Add a dark mode" });
    const stored = await conversation(done.session_id!);
    expect(stored[1]).toMatchObject({
      checkpoint_before: done.metadata.checkpoint_before,
      checkpoint_after: done.metadata.checkpoint_after,
      status: "complete",
    });
    expect(stored[1]!.parts.filter((p) => p.type === "tool_call").map((p) => p.tool)).toEqual(["list_files", "read_file", "edit_file", "write_file"]);

    const usage = (await (await world.api(`/api/v1/tokens/usage/${done.session_id}`)).json()) as {
      data: { calls: Array<{ step: number; input_tokens: number; output_tokens: number }> };
    };
    expect(usage.data.calls.map((c) => [c.step, c.input_tokens, c.output_tokens])).toEqual([
      [1, 300, 20],
      [2, 400, 15],
      [3, 600, 80],
      [4, 700, 12],
    ]);
    chat.close();
    otherTab.close();
  });

  it("edit_file with no match is an error the model sees, and the model recovers", async () => {
    world.llm.enqueue(
      reply([toolCall("edit_file", { path: "index.html", search: "<p>No such text</p>", replace: "<p>x</p>" })]),
      reply([toolCall("edit_file", { path: "index.html", search: "<p>Ask the agent to change this page.</p>", replace: "<p>Recovered.</p>" })]),
      reply([text("Fixed it on the second try.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Change the paragraph" });
    const done = await chat.completion();
    const [first, second] = chat.of("tool_result");
    expect(first!.metadata.ok).toBe(false);
    expect(JSON.stringify(first!.metadata.output)).toContain("was not found in index.html");
    expect(second!.metadata.ok).toBe(true);
    // The failure went back to the model as the tool's result.
    const secondRequest = world.llm.requests.at(-2)!.body.messages;
    expect(JSON.stringify(secondRequest.filter((m) => m.role === "tool"))).toContain("was not found in index.html");
    expect(fs.readFileSync(projectFile("index.html"), "utf8")).toContain("<p>Recovered.</p>");
    expect(done.metadata).toMatchObject({ status: "complete", files_changed: ["index.html"] });
    chat.close();
  });

  it("edit_file matching several times and a truncated write are rejected with an explanation; nothing is written", async () => {
    fs.writeFileSync(projectFile("twice.txt"), "a\nsame\nsame\n");
    world.llm.enqueue(
      reply([
        toolCall("edit_file", { path: "twice.txt", search: "same", replace: "other" }),
        toolCall("write_file", { path: "main.js", content: "console.log('start');\n// ... rest of the code unchanged\n" }),
      ]),
      reply([text("Understood.")]),
    );
    const before = fs.readFileSync(projectFile("main.js"), "utf8");
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Edit things" });
    const done = await chat.completion();
    const [multi, truncated] = chat.of("tool_result");
    expect(JSON.stringify(multi!.metadata.output)).toContain("occurs 2 times in twice.txt");
    expect(JSON.stringify(truncated!.metadata.output)).toContain("placeholder comment");
    expect(fs.readFileSync(projectFile("twice.txt"), "utf8")).toBe("a\nsame\nsame\n");
    expect(fs.readFileSync(projectFile("main.js"), "utf8")).toBe(before);
    expect(done.metadata.files_changed).toEqual([]);
    expect(done.metadata.checkpoint_after).toBeNull();
    chat.close();
  });

  it("stops a turn whose same failing call repeats, and says so", async () => {
    const failing = toolCall("read_file", { path: "missing.txt" });
    world.llm.enqueue(reply([failing]), reply([failing]), reply([failing]), reply([text("should never be requested")]));
    const before = world.llm.requests.length;
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Read the missing file" });
    const done = await chat.completion();
    expect(done.metadata).toMatchObject({ status: "complete", stop_reason: "stuck", steps: 3 });
    expect(world.llm.requests.length - before).toBe(3);
    expect(chat.text()).toContain("I stopped: the same read_file call failed 3 times");
    expect(world.llm.pending()).toBe(1);
    world.llm.clear();
    chat.close();
  });
});

type SearchOutput = { matches: Array<{ path: string; line: number; text: string }>; files_searched: number; truncated: boolean };

describe("the search_files tool", () => {
  it("finds lines by text (any case unless asked) and by regular expression; an invalid expression is an error the model sees", async () => {
    fs.mkdirSync(projectFile("notes"), { recursive: true });
    fs.writeFileSync(projectFile("notes/todo.md"), "# Notes\nTODO: dark mode\nfix: header spacing\nlater: todo list page\n");
    world.llm.enqueue(
      reply([
        toolCall("search_files", { query: "todo", path: "notes" }),
        toolCall("search_files", { query: "todo", path: "notes", case_sensitive: true }),
        toolCall("search_files", { query: "^(fix|later):", regex: true }),
        toolCall("search_files", { query: "(unclosed", regex: true }),
      ]),
      reply([text("Searched.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Find the todos" });
    await chat.completion();
    const [anyCase, exactCase, byRegex, invalid] = chat.of("tool_result").map((r) => r.metadata);
    expect((anyCase!.output as SearchOutput).matches).toEqual([
      { path: "notes/todo.md", line: 2, text: "TODO: dark mode" },
      { path: "notes/todo.md", line: 4, text: "later: todo list page" },
    ]);
    expect((exactCase!.output as SearchOutput).matches.map((m) => m.line)).toEqual([4]);
    expect((byRegex!.output as SearchOutput).matches.map((m) => [m.path, m.line])).toEqual([
      ["notes/todo.md", 3],
      ["notes/todo.md", 4],
    ]);
    expect(invalid).toMatchObject({ ok: false, output: { error: "Invalid regular expression: (unclosed" } });
    chat.close();
  });

  it("stops a regular expression that backtracks without end, with an error the model sees; the server answers meanwhile", async () => {
    // (a+)+$ on forty a's and a '!' tries 2^40 ways to split the a's: it would never end.
    fs.writeFileSync(projectFile("runaway.txt"), `${"a".repeat(40)}!\n`);
    world.llm.enqueue(
      reply([toolCall("search_files", { query: "(a+)+$", regex: true })]),
      reply([text("That search was too slow; I will use a simpler one.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Find runs of a" });
    await chat.waitFor("tool_call", (f) => f.metadata.tool === "search_files");
    chat.send({ type: "ping" });
    const pong = await chat.waitFor("pong");
    const done = await chat.completion();
    const result = chat.of("tool_result")[0]!;
    // The pong was sent while the search was still matching.
    expect(chat.frames.indexOf(pong)).toBeLessThan(chat.frames.indexOf(result));
    expect(result.metadata.ok).toBe(false);
    expect(JSON.stringify(result.metadata.output)).toContain("took longer than 2 s");
    expect(JSON.stringify(world.llm.requests.at(-1)!.body.messages.filter((m) => m.role === "tool"))).toContain("Simplify the regular expression");
    expect(done.metadata).toMatchObject({ status: "complete", stop_reason: "done" });
    chat.close();
  });
});
