import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { apiKeyFor } from "../helpers/auth";
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

const undo = (messageId: string, project = projectId, authorization?: string) =>
  world.api(`/api/v1/projects/${project}/conversations/${messageId}/undo`, { method: "POST", ...(authorization ? { headers: { authorization } } : {}) });
const stored = () => storedConversation(world, projectId);

describe("undoing an agent turn (POST /projects/{id}/conversations/{message_id}/undo)", () => {
  it("brings the files back to before the turn, marks it and the file-changing turns after it, and tells the model", async () => {
    const index = fs.readFileSync(projectFile("index.html"), "utf8");
    const chat = await ChatClient.open(world, projectId);
    world.llm.enqueue(reply([toolCall("write_file", { path: "a.txt", content: "A\n" })]), reply([text("Added a.txt.")]));
    chat.send({ type: "user_message", content: "Add a.txt" });
    const first = await chat.completion(1);
    const sessionId = first.session_id!;
    world.llm.enqueue(
      reply([toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Changed</h1>" })]),
      reply([text("Changed the heading.")]),
    );
    chat.send({ type: "user_message", content: "Change the heading", session_id: sessionId });
    const second = await chat.completion(2);
    world.llm.enqueue(reply([text("Nothing to change.")]));
    chat.send({ type: "user_message", content: "Just checking", session_id: sessionId });
    const third = await chat.completion(3);
    expect(fs.existsSync(projectFile("a.txt"))).toBe(true);
    expect(fs.readFileSync(projectFile("index.html"), "utf8")).not.toBe(index);
    const otherTab = await ChatClient.open(world, projectId);

    const res = await undo(first.metadata.message_id);
    const body = (await res.json()) as {
      message: string;
      data: { undone: string[]; undone_at: string; restored_from: string; checkpoint: { id: string; message: string } };
    };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.message).toBe("Turn undone");
    // Going back to before the first turn takes the second one's change with it; the third changed nothing.
    expect(body.data.undone).toEqual([first.metadata.message_id, second.metadata.message_id]);
    expect(body.data.restored_from).toBe(first.metadata.checkpoint_before);
    expect(fs.existsSync(projectFile("a.txt"))).toBe(false);
    expect(fs.readFileSync(projectFile("index.html"), "utf8")).toBe(index);
    const history = (await (await world.api(`/api/v1/projects/${projectId}/history?limit=1`)).json()) as { data: Array<{ id: string; message: string }> };
    expect(history.data[0]).toMatchObject({ id: body.data.checkpoint.id, message: `Restore checkpoint ${first.metadata.checkpoint_before!.slice(0, 10)}` });

    const messages = await stored();
    const undoneAt = (id: string) => messages.find((m) => m.id === id)!.undone_at;
    expect(undoneAt(first.metadata.message_id)).toBe(body.data.undone_at);
    expect(undoneAt(second.metadata.message_id)).toBe(body.data.undone_at);
    expect(undoneAt(third.metadata.message_id)).toBeNull();
    expect(messages.filter((m) => m.role === "user").every((m) => m.undone_at === null)).toBe(true);
    // Every tab on the project hears of it (the one that undid too), with the files' changes.
    for (const tab of [otherTab, chat]) {
      const heard = await tab.waitFor("turn_undone");
      expect(heard.metadata).toEqual({ message_ids: body.data.undone, undone_at: body.data.undone_at, checkpoint: body.data.checkpoint.id });
      expect(heard.session_id).toBeNull();
      await tab.waitFor("file_changed", (f) => f.metadata.path === "a.txt" && f.metadata.change === "deleted");
    }
    otherTab.close();

    // The next turn of the same session (its history held in memory) tells the model which answers were undone.
    world.llm.enqueue(reply([text("Understood.")]));
    chat.send({ type: "user_message", content: "What now?", session_id: sessionId });
    await chat.completion(4);
    const sent = world.llm.requests
      .at(-1)!
      .body.messages.filter((m) => m.role === "assistant")
      .map((m) => String(m.content));
    expect(sent).toEqual([
      "Added a.txt.\n\n[The user undid this turn: its file changes were reverted.]",
      "Changed the heading.\n\n[The user undid this turn: its file changes were reverted.]",
      "Nothing to change.",
    ]);
    chat.close();

    // Undoing again, or a turn the first undo already reverted: 409, and nothing moves.
    const head = body.data.checkpoint.id;
    for (const id of [first.metadata.message_id, second.metadata.message_id]) {
      const again = await undo(id);
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: "conflict",
        message: "This turn is already undone",
      });
    }
    // A turn that changed nothing, and a user message: 400.
    for (const id of [third.metadata.message_id, messages.find((m) => m.role === "user")!.id]) {
      const none = await undo(id);
      expect(none.status).toBe(400);
      expect(((await none.json()) as { detail: string }).detail).toBe("This turn changed no files: there is nothing to undo");
    }
    const after = (await (await world.api(`/api/v1/projects/${projectId}/history?limit=1`)).json()) as { data: Array<{ id: string }> };
    expect(after.data[0]!.id).toBe(head);
  });

  it("refuses while a turn runs on the project (409, files untouched), and works once it ended", async () => {
    const chat = await ChatClient.open(world, projectId);
    world.llm.enqueue(reply([toolCall("write_file", { path: "c.txt", content: "C\n" })]), reply([text("Added c.txt.")]));
    chat.send({ type: "user_message", content: "Add c.txt" });
    const done = await chat.completion(1);
    expect(fs.existsSync(projectFile("c.txt"))).toBe(true);

    world.llm.enqueue(reply([text("Thinking about it for a long while")], undefined, { chunkDelayMs: 100, textChunkChars: 2 }));
    const sentAt = chat.frames.length;
    chat.send({ type: "user_message", content: "Take your time", session_id: done.session_id });
    await chat.waitFor("agent_response", (f) => chat.frames.indexOf(f) >= sentAt);
    const busy = await undo(done.metadata.message_id);
    expect(busy.status).toBe(409);
    const error = ((await busy.json()) as { error: { code: string; message: string; active_session_id?: string } }).error;
    expect(error).toMatchObject({ code: "conflict", active_session_id: done.session_id, busy_with: "agent" });
    expect(error.message).toContain("A turn is running on this project");
    expect(fs.existsSync(projectFile("c.txt"))).toBe(true);
    await chat.completion(2);

    const res = await undo(done.metadata.message_id);
    expect(res.status).toBe(200);
    expect(fs.existsSync(projectFile("c.txt"))).toBe(false);
    chat.close();
  });

  it("answers 404 for unknown messages, other users' projects and messages, and 400 for a malformed id", async () => {
    const chat = await ChatClient.open(world, projectId);
    world.llm.enqueue(reply([toolCall("write_file", { path: "d.txt", content: "D\n" })]), reply([text("Added d.txt.")]));
    chat.send({ type: "user_message", content: "Add d.txt" });
    const done = await chat.completion(1);
    chat.close();

    expect((await undo("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const malformed = await undo("not-a-uuid");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { fields: Array<{ path: string }> } }).error.fields[0]!.path).toBe("params.message_id");

    const bob = await apiKeyFor(world.server.url, "bob");
    // Alice's project as Bob, and Alice's message under Bob's own project: both look absent.
    expect((await undo(done.metadata.message_id, projectId, bob.authorization)).status).toBe(404);
    const bobProject = await createProject(world, "bobs-undo", bob.authorization);
    const foreign = await undo(done.metadata.message_id, bobProject, bob.authorization);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { detail: string }).detail).toBe("Message not found");
    expect(fs.existsSync(projectFile("d.txt"))).toBe(true);
    expect((await stored()).find((m) => m.id === done.metadata.message_id)!.undone_at).toBeNull();
  });

  it("deletes a project with undone turns, its undo rows included", async () => {
    const other = await createProject(world, "undo-then-delete");
    const chat = await ChatClient.open(world, other);
    world.llm.enqueue(reply([toolCall("write_file", { path: "e.txt", content: "E\n" })]), reply([text("Added e.txt.")]));
    chat.send({ type: "user_message", content: "Add e.txt" });
    const done = await chat.completion(1);
    chat.close();
    expect((await undo(done.metadata.message_id, other)).status).toBe(200);
    expect((await world.api(`/api/v1/projects/${other}`, { method: "DELETE" })).status).toBe(200);
    expect((await world.api(`/api/v1/projects/${other}/conversations`)).status).toBe(404);
    expect((await undo(done.metadata.message_id, other)).status).toBe(404);
  });
});
