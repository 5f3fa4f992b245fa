import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_MODE_TOOLS } from "@/lib/agent/plan-mode";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { ChatClient, createProject, startChatWorld, storedConversation, type ChatWorld } from "./support";

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

describe("plan mode", () => {
  it("offers only read-only tools, fails every write the model tries anyway, changes no file and stores the plan with its mode", async () => {
    const indexBefore = fs.readFileSync(projectFile("index.html"), "utf8");
    world.llm.enqueue(
      reply([
        toolCall("read_file", { path: "index.html" }, "call_read"),
        toolCall("write_file", { path: "index.html", content: "<h1>changed</h1>" }, "call_write"),
        toolCall("write_file", { path: "new.html", content: "<p>new</p>" }, "call_new"),
        toolCall("run_command", { command: "touch made-by-command" }, "call_cmd"),
      ]),
      reply([toolCall("delete_file", { path: "main.js" }, "call_delete"), toolCall("rename_file", { from: "styles.css", to: "x.css" }, "call_rename")]),
      reply([text("Plan:\n1. Add a contact section to index.html.\n2. Style it in styles.css.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add a contact section", metadata: { mode: "plan" } });
    const done = await chat.completion();
    chat.close();

    const request = world.llm.requests.at(-3)!;
    expect(request.body.tools!.map((t) => t.function.name).sort()).toEqual([...PLAN_MODE_TOOLS].sort());
    expect(request.body.messages[0]!.content).toContain("# Plan mode");

    const results = chat.of("tool_result");
    expect(results.map((r) => [r.metadata.tool, r.metadata.ok])).toEqual([
      ["read_file", true],
      ["write_file", false],
      ["write_file", false],
      ["run_command", false],
      ["delete_file", false],
      ["rename_file", false],
    ]);
    for (const r of results.slice(1)) expect(JSON.stringify(r.metadata.output)).toContain("unavailable tool");

    expect(fs.readFileSync(projectFile("index.html"), "utf8")).toBe(indexBefore);
    for (const f of ["new.html", "made-by-command", "x.css"]) expect(fs.existsSync(projectFile(f))).toBe(false);
    expect(fs.existsSync(projectFile("main.js"))).toBe(true);

    expect(chat.of("message_received")[0]!.metadata.mode).toBe("plan");
    expect(done.metadata).toMatchObject({ status: "complete", mode: "plan", files_changed: [], checkpoint_before: null, checkpoint_after: null });
    const stored = await storedConversation(world, projectId, done.session_id!);
    expect(stored.map((m) => [m.role, m.mode])).toEqual([
      ["user", "plan"],
      ["assistant", "plan"],
    ]);

    // The plan, sent back as a build turn, runs with every tool again and sees the plan turn as plan mode.
    world.llm.enqueue(reply([toolCall("write_file", { path: "contact.html", content: "<h1>Contact</h1>" })]), reply([text("Built.")]));
    const build = await ChatClient.open(world, projectId);
    build.send({ type: "user_message", content: "Build this plan", session_id: done.session_id, metadata: { mode: "build" } });
    const built = await build.completion();
    build.close();
    expect(built.metadata.mode).toBeUndefined();
    expect(built.metadata.files_changed).toEqual(["contact.html"]);
    const buildRequest = world.llm.requests.at(-2)!;
    expect(buildRequest.body.tools!.map((t) => t.function.name)).toContain("write_file");
    expect(buildRequest.body.messages[0]!.content).not.toContain("# Plan mode");
    expect(buildRequest.body.messages[1]).toMatchObject({ role: "user", content: expect.stringContaining("[Plan mode") });
  });

  it("rejects an unknown mode as an invalid frame", async () => {
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Hi", metadata: { mode: "yolo" } });
    const error = await chat.waitFor("error");
    chat.close();
    expect(error.metadata.code).toBe("invalid_frame");
  });
});
