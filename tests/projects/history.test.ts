import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { apiKeyFor } from "../helpers/auth";
import { expectError } from "../api/support";
import { ChatClient, createProject, startChatWorld, type ChatWorld } from "../chat/support";

interface Entry {
  id: string;
  parent: string | null;
  message: string;
  created_at: string;
  files_changed: number;
  paths: string[];
  additions: number;
  deletions: number;
  prompt: string | null;
  session_id: string | null;
  message_id: string | null;
}

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

const history = async (query = "limit=200") => {
  const res = await world.api(`/api/v1/projects/${projectId}/history?${query}`);
  const body = (await res.json()) as { data: Entry[]; metadata: { total: number } };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
};

describe("version history (GET /projects/{id}/history)", () => {
  let firstTurn: { message_id: string; session_id: string; checkpoint: string };

  it("lists the checkpoints of chat turns newest first with their prompt, files and line counts", async () => {
    const chat = await ChatClient.open(world, projectId);
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "notes/a.txt", content: "one\ntwo\nthree\n" }), toolCall("write_file", { path: "b.txt", content: "bee\n" })]),
      reply([text("Added two files.")]),
    );
    chat.send({ type: "user_message", content: "Add the notes" });
    const first = await chat.completion(1);
    world.llm.enqueue(reply([toolCall("write_file", { path: "notes/a.txt", content: "one\n2\nthree\nfour\nfive\n" })]), reply([text("Edited.")]));
    chat.send({ type: "user_message", content: "Change the second line\nand add two more", session_id: first.session_id! });
    const second = await chat.completion(2);
    chat.close();
    firstTurn = { message_id: first.metadata.message_id, session_id: first.session_id!, checkpoint: first.metadata.checkpoint_after! };

    const { data, metadata } = await history();
    expect(metadata.total).toBe(data.length);
    const [newest, older] = data;
    expect(newest).toMatchObject({
      id: second.metadata.checkpoint_after,
      parent: first.metadata.checkpoint_after,
      prompt: "Change the second line\nand add two more",
      session_id: first.session_id,
      message_id: second.metadata.message_id,
      files_changed: 1,
      paths: ["notes/a.txt"],
      additions: 3, // "2", "four", "five"
      deletions: 1, // "two"
    });
    expect(older).toMatchObject({
      id: first.metadata.checkpoint_after,
      prompt: "Add the notes",
      message_id: first.metadata.message_id,
      files_changed: 2,
      additions: 4,
      deletions: 0,
    });
    expect([...older!.paths].sort()).toEqual(["b.txt", "notes/a.txt"]);
    // Newest first, all the way down to the template's checkpoint, which no turn made.
    const times = data.map((e) => Date.parse(e.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(data.at(-1)).toMatchObject({ parent: null, prompt: null, message_id: null });
    expect(data.at(-1)!.files_changed).toBeGreaterThan(0);
  });

  it("a page is computed on its own (offset/limit) and the diff of an entry against its parent is the same change", async () => {
    const { data } = await history();
    const page = await history("limit=1&offset=1");
    expect(page.data).toEqual([data[1]]);
    const res = await world.api(`/api/v1/projects/${projectId}/diff?from=${data[0]!.parent}&to=${data[0]!.id}&context=1000`);
    expect(res.status).toBe(200);
    const diff = await res.text();
    expect(diff).toContain("+++ b/notes/a.txt");
    // Whole file as context: every line of the new version is there.
    expect(
      diff
        .split("\n")
        .filter((l) => /^[ +]/.test(l) && !l.startsWith("+++"))
        .map((l) => l.slice(1)),
    ).toEqual(["one", "2", "three", "four", "five"]);
  });

  it("a manual checkpoint has no prompt; its counts are those of the edit", async () => {
    const put = await world.api(`/api/v1/projects/${projectId}/files/content?path=b.txt`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "bee\nhive\n" }),
    });
    expect(put.status).toBeLessThan(300);
    const res = await world.api(`/api/v1/projects/${projectId}/checkpoints`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "by hand" }),
    });
    expect(res.status).toBe(201);
    const [newest] = (await history()).data;
    expect(newest).toMatchObject({
      message: "by hand",
      prompt: null,
      session_id: null,
      message_id: null,
      files_changed: 1,
      paths: ["b.txt"],
      additions: 1,
      deletions: 0,
    });
  });

  it("restoring an older version adds a new one on top with those files; nothing is lost", async () => {
    const before = (await history()).data;
    const res = await world.api(`/api/v1/projects/${projectId}/restore`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ checkpoint: firstTurn.checkpoint }),
    });
    const body = (await res.json()) as { data: { checkpoint: { id: string } } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(fs.readFileSync(projectFile("notes/a.txt"), "utf8")).toBe("one\ntwo\nthree\n");
    expect(fs.readFileSync(projectFile("b.txt"), "utf8")).toBe("bee\n");
    const after = (await history()).data;
    expect(after).toHaveLength(before.length + 1);
    expect(after.slice(1).map((e) => e.id)).toEqual(before.map((e) => e.id));
    // The restore undoes the second turn and the manual edit: 2 files, back by their lines.
    expect(after[0]).toMatchObject({ id: body.data.checkpoint.id, parent: before[0]!.id, prompt: null, files_changed: 2, additions: 1, deletions: 4 });
    // The turns keep their prompts after the restore.
    expect(after.find((e) => e.id === firstTurn.checkpoint)).toMatchObject({
      prompt: "Add the notes",
      session_id: firstTurn.session_id,
      message_id: firstTurn.message_id,
    });
  });

  it("refuses a context that is not a line count with 400", async () => {
    const [newest] = (await history()).data;
    for (const context of ["-1", "many", "2000000"]) {
      await expectError(await world.api(`/api/v1/projects/${projectId}/diff?from=${newest!.parent}&to=${newest!.id}&context=${context}`), 400, "bad_request");
    }
  });

  it("another user cannot read the history", async () => {
    const bob = await apiKeyFor(world.server.url, "bob-history");
    const res = await fetch(`${world.server.url}/api/v1/projects/${projectId}/history`, { headers: { authorization: bob.authorization } });
    expect(res.status).toBe(404);
  });
});
