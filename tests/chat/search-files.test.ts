import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { ChatClient, createProject, startChatWorld, type ChatWorld } from "./support";

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
    world.llm.enqueue(reply([toolCall("search_files", { query: "(a+)+$", regex: true })]), reply([text("That search was too slow; I will use a simpler one.")]));
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
