import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { startServer, type TestServer } from "../helpers/server";
import { ChatClient, chatWorldOf, createProject, FAKE_KEY, storedConversation, type ChatWorld } from "./support";

const NOTE = "The server stopped during this turn, so it did not finish. Send the request again to continue.";

let llm: ScriptedLlm;
const servers: TestServer[] = [];
const env = () => ({ LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: FAKE_KEY, MODEL_NAME: "gpt-4o-mini" });

async function start(dataDir?: string): Promise<ChatWorld> {
  const server = await startServer({ env: env(), ...(dataDir ? { dataDir } : {}) });
  servers.push(server);
  return chatWorldOf(server, llm);
}

beforeAll(async () => {
  llm = await startScriptedLlm();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  await llm?.close();
});

/** Starts a turn whose answer stops after a few words and hangs; resolves once those words reached the socket. */
async function hangingTurn(world: ChatWorld, projectId: string): Promise<{ sessionId: string; upstream: Promise<{ early: boolean }> }> {
  const chat = await ChatClient.open(world, projectId);
  llm.enqueue(reply([text("Half of an answer that never ends")], undefined, { textChunkChars: 5, hangAfterChunks: 4 }));
  chat.send({ type: "user_message", content: "Tell me everything" });
  await chat.waitFor("agent_response", () => chat.text().length >= 10);
  const sessionId = chat.of("message_received")[0]!.session_id!;
  return { sessionId, upstream: llm.requests.at(-1)!.closed };
}

// Each test starts a server twice (and kills one): more than the default minute on a loaded machine.
describe("a turn running when the server stops", { timeout: 120_000 }, () => {
  it("is stopped on a clean stop (SIGTERM) and stored as failed with what it said and a note", async () => {
    const world = await start();
    const projectId = await createProject(world);
    const { sessionId, upstream } = await hangingTurn(world, projectId);
    expect(await world.server.stop("SIGTERM")).toBe(0);
    expect(await upstream).toEqual({ early: true }); // the provider request was aborted, not left open

    const again = await start(world.server.dataDir);
    const stored = await storedConversation(again, projectId);
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "failed"],
    ]);
    const answer = stored[1]!;
    expect(answer.content).toMatch(/^Half of an answ/);
    expect(answer.content.endsWith(`\n\n${NOTE}`)).toBe(true);
    expect(answer.parts.at(-1)).toEqual({ type: "text", text: `\n\n${NOTE}` });
    expect(answer.session_id).toBe(sessionId);
    // It was stored by the stop itself: the start-up sweep found nothing to add.
    expect(again.server.output()).not.toContain("turns the last stop interrupted");
  });

  it("is answered at the next start after a kill (SIGKILL), and the session goes on with the note in its history", async () => {
    const world = await start();
    const projectId = await createProject(world);
    // The answer has started, so the message was acknowledged, so it is stored (see the next test).
    const { sessionId } = await hangingTurn(world, projectId);
    await world.server.stop("SIGKILL");

    const again = await start(world.server.dataDir);
    const stored = await storedConversation(again, projectId);
    expect(stored.map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", "Tell me everything"],
      ["assistant", "failed", NOTE],
    ]);
    expect(again.server.output()).toContain("turns the last stop interrupted are stored as failed");

    const chat = await ChatClient.open(again, projectId);
    llm.enqueue(reply([text("Here it is.")]));
    chat.send({ type: "user_message", content: "Try again", session_id: sessionId });
    expect((await chat.completion()).metadata.status).toBe("complete");
    expect(
      llm.requests
        .at(-1)!
        .body.messages.filter((m) => m.role !== "system")
        .map((m) => [m.role, m.content]),
    ).toEqual([
      ["user", "Tell me everything"],
      ["assistant", NOTE],
      ["user", "Try again"],
    ]);
    chat.close();
  });

  it("a message acknowledged with message_received survives a kill the moment the acknowledgement arrives", async () => {
    const world = await start();
    const projectId = await createProject(world);
    const chat = await ChatClient.open(world, projectId);
    llm.enqueue(reply([text("An answer that never ends")], undefined, { textChunkChars: 5, hangAfterChunks: 1 }));
    const killed = new Promise<void>((resolve) =>
      chat.ws.on("message", (data) => {
        if ((JSON.parse(data.toString()) as { type: string }).type !== "message_received") return;
        world.server.proc.kill("SIGKILL");
        resolve();
      }),
    );
    chat.send({ type: "user_message", content: "Keep this message" });
    await killed;
    await world.server.stop("SIGKILL");

    const again = await start(world.server.dataDir);
    const stored = await storedConversation(again, projectId);
    expect(stored.map((m) => [m.role, m.status, m.content])).toEqual([
      ["user", "complete", "Keep this message"],
      ["assistant", "failed", NOTE],
    ]);
    expect(stored[0]!.id).toBe(chat.of("message_received")[0]!.metadata.message_id);
    // Restored from the journal when the kill came before the row's batch was written (the usual case; on a loaded
    // machine the kill can come later, and then the row is simply there). Either way the journal is emptied.
    const journal = path.join(world.server.dataDir, "chat-journal.ndjson");
    expect(fs.statSync(journal).size).toBe(0);
    const next = await ChatClient.open(again, projectId);
    // The kill can come before the killed turn's request reached the scripted model: its reply may still be queued.
    llm.clear();
    llm.enqueue(reply([text("Done.")]));
    next.send({ type: "user_message", content: "One more", session_id: stored[0]!.session_id });
    expect((await next.completion()).metadata.status).toBe("complete");
    await expect.poll(() => fs.statSync(journal).size).toBe(0);
    next.close();
  });

  it("leaves no checkpoint repository locked: a git killed mid-commit does not stop later checkpoints", async () => {
    const world = await start();
    const projectId = await createProject(world);
    await world.server.stop("SIGKILL");
    // What git leaves when killed while committing.
    const repo = path.join(world.server.dataDir, "checkpoints", `${projectId}.git`);
    for (const lock of ["index.lock", "HEAD.lock", path.join("refs", "heads", "main.lock")]) fs.writeFileSync(path.join(repo, lock), "");

    const again = await start(world.server.dataDir);
    expect(
      (await again.api(`/api/v1/projects/${projectId}/files/content?path=after.txt`, { method: "PUT", body: JSON.stringify({ content: "after the kill" }) }))
        .status,
    ).toBe(201);
    const res = await again.api(`/api/v1/projects/${projectId}/checkpoints`, { method: "POST", body: JSON.stringify({ message: "after the kill" }) });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { data: { message: string } }).data.message).toBe("after the kill");
    expect(again.server.output()).toContain("lock files a killed git left in checkpoint repositories removed");
  });
});
