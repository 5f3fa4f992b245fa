import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Evidence } from "@/lib/shared/chat-protocol";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { api, removeInstanceContainers, requireEngine, writeFile } from "../containers/support";
import { apiKeyFor } from "../helpers/auth";
import { ChatClient, createProject, startChatWorld, storedConversation, type ChatWorld } from "./support";

/**
 * The agent looks at the preview as a user would: check_preview in headless Chromium (its screenshot to vision
 * models only), evidence of done after a turn that changed files, and the auto-fix loop with its breaker. A static
 * project whose main.js throws is the broken app; the scripted model writes the breaking and the fixing files.
 */

let world: ChatWorld;
let projectId: string;

const throwing = (marker: string) => `const greeting = "hi";\nconsole.log(greeting);\nthrow new Error("${marker}");\n`;
const FIXED = `const greeting = "hi";\nconsole.log(greeting);\n`;
const auth = () => ({ authorization: world.authorization, userId: world.userId });
const setAutoFix = async (on: boolean) =>
  expect((await api(world.server, auth(), "PATCH", `/api/v1/projects/${projectId}`, { auto_fix: on })).status).toBe(200);

beforeAll(async () => {
  await requireEngine();
  world = await startChatWorld({
    CONTAINER_MEMORY_MB: "256",
    CONTAINER_PIDS: "64",
    CONTAINER_CPUS: "0.5",
    LLM_CHUNK_TIMEOUT_MS: "20000",
    AUTO_FIX_MAX_TOKENS: "500",
  });
  projectId = await createProject(world, "preview-loop");
  const started = await api<{ state: string }>(world.server, auth(), "POST", `/api/v1/projects/${projectId}/container/start`);
  expect(started.json.data.state, started.text).toBe("ready");
}, 180_000);

afterAll(async () => {
  if (world) {
    await removeInstanceContainers(world.server.dataDir);
    await world.stop();
  }
});

describe("check_preview in headless Chromium", () => {
  it("reports the page's runtime error and sends its screenshot to a vision model as an image part, not to one without vision", async () => {
    await writeFile(world.server, auth(), projectId, "main.js", throwing("boom-check"));
    for (const model of ["gpt-4o-mini", "deepseek/deepseek-chat-v3.1"]) {
      world.llm.enqueue(reply([toolCall("check_preview", { path: "/" })]), reply([text("The page throws.")]));
      const before = world.llm.requests.length;
      const chat = await ChatClient.open(world, projectId);
      chat.send({ type: "user_message", content: "Does the page work?", metadata: { model } });
      const done = await chat.completion(1);
      expect(done.metadata.status).toBe("complete");
      expect(done.metadata.evidence).toBeUndefined(); // no file changed
      const result = chat.of("tool_result")[0]!;
      expect(result.metadata).toMatchObject({
        tool: "check_preview",
        ok: true,
        output: { mode: "chromium", status: 200, ok: false, title: "My Slipway site", screenshot: true },
      });
      const output = result.metadata.output as { page_errors: Array<{ message: string }>; text: string };
      expect(output.page_errors.map((e) => e.message)).toContain("boom-check");
      expect(output.text).toContain("Hello from Slipway");

      const afterTool = world.llm.requests[before + 1]!.body.messages;
      const images = afterTool.filter(
        (m) => m.role === "user" && Array.isArray(m.content) && (m.content as Array<{ type: string }>).some((p) => p.type === "image_url"),
      );
      if (model === "gpt-4o-mini") {
        expect(afterTool.at(-1)!.role).toBe("user");
        expect(images).toHaveLength(1);
        const image = (images[0]!.content as Array<{ type: string; image_url?: { url: string } }>).find((p) => p.type === "image_url")!;
        expect(image.image_url!.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
      } else {
        expect(afterTool.at(-1)!.role).toBe("tool");
        expect(images).toHaveLength(0);
      }
      chat.close();
    }
  }, 120_000);
});

describe("the auto_fix setting", () => {
  it("is on for a new project, and PATCH takes a boolean only", async () => {
    const project = await api<{ auto_fix: boolean }>(world.server, auth(), "GET", `/api/v1/projects/${projectId}`);
    expect(project.json.data.auto_fix).toBe(true);
    const bad = await api(world.server, auth(), "PATCH", `/api/v1/projects/${projectId}`, { auto_fix: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe("bad_request");
    expect(bad.json.error?.fields).toEqual([expect.objectContaining({ path: expect.stringContaining("auto_fix") })]);
  });
});

describe("evidence of done", () => {
  it("goes with the completion, is stored with the answer, and its screenshot is served to the owner only; auto_fix off: no follow-up", async () => {
    await setAutoFix(false);
    world.llm.enqueue(reply([toolCall("write_file", { path: "main.js", content: throwing("boom-evidence") })]), reply([text("I added a greeting script.")]));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add a greeting script" });
    const done = await chat.completion(1);
    const evidence = done.metadata.evidence as Evidence;
    expect(evidence).toMatchObject({ preview_status: 200, ok: false, mode: "chromium" });
    expect(evidence.errors).toEqual([expect.objectContaining({ kind: "error", message: "boom-evidence", file: "main.js", line: 3 })]);
    expect(chat.of("status").some((f) => f.metadata.state === "checking_preview")).toBe(true);

    const stored = await storedConversation(world, projectId, done.session_id!);
    const answer = stored.find((m) => m.id === done.metadata.message_id)!;
    expect(answer.parts.find((p) => p.type === "evidence")).toEqual({ type: "evidence", ...evidence });

    const shot = await fetch(`${world.server.url}${evidence.screenshot_url}`, { headers: { authorization: world.authorization } });
    expect(shot.status).toBe(200);
    expect(shot.headers.get("content-type")).toBe("image/jpeg");
    expect([...new Uint8Array(await shot.arrayBuffer()).slice(0, 2)]).toEqual([0xff, 0xd8]);
    const bob = await apiKeyFor(world.server.url, "bob");
    const foreign = await fetch(`${world.server.url}${evidence.screenshot_url}`, { headers: { authorization: bob.authorization } });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const missing = await fetch(`${world.server.url}/api/v1/projects/${projectId}/evidence/${crypto.randomUUID()}/screenshot`, {
      headers: { authorization: world.authorization },
    });
    expect(missing.status).toBe(404);

    // With auto_fix off the next message is the user's own, and no fix-up turn ran or stopped in between.
    world.llm.enqueue(reply([text("Noted.")]));
    chat.send({ type: "user_message", content: "Thanks", session_id: done.session_id });
    await chat.completion(2);
    expect(chat.of("message_received").map((f) => f.content)).toEqual(["Add a greeting script", "Thanks"]);
    expect(chat.of("status").filter((f) => f.metadata.state === "auto_fix_stopped")).toEqual([]);
    chat.close();
  }, 120_000);
});

describe("auto-fix", () => {
  it("fixes a new runtime error in one round: Auto-fix 1/2 carries the error and the code, and the loop stops as fixed", async () => {
    await setAutoFix(true);
    const requestsBefore = world.llm.requests.length;
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-fix") })]),
      reply([text("Done.")]),
      reply([toolCall("write_file", { path: "main.js", content: FIXED })]),
      reply([text("I removed the throw.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add a greeting that throws" });
    const first = await chat.completion(1);
    expect((first.metadata.evidence as Evidence).errors.map((e) => e.message)).toContain("boom-fix");
    const fixMessage = await chat.waitFor("message_received", (f) => f.metadata.auto_fix !== undefined);
    expect(fixMessage.metadata.auto_fix).toEqual({ attempt: 1, of: 2 });
    expect(fixMessage.content).toContain("Auto-fix 1/2");
    expect(fixMessage.content).toContain("boom-fix");
    expect(fixMessage.content).toContain('3 > throw new Error("boom-fix");');
    const second = await chat.completion(2);
    expect(second.metadata).toMatchObject({ status: "complete", auto_fix: { attempt: 1, of: 2 }, evidence: { ok: true, errors: [] } });
    const stopped = await chat.waitFor("status", (f) => f.metadata.state === "auto_fix_stopped");
    expect(stopped.metadata).toMatchObject({ reason: "fixed", attempts: 1 });
    // The fix-up request reached the model as a user message in the same conversation.
    const fixRequest = world.llm.requests[requestsBefore + 2]!.body.messages;
    expect(JSON.stringify(fixRequest.filter((m) => m.role === "user").at(-1))).toContain("boom-fix");
    const stored = await storedConversation(world, projectId, first.session_id!);
    expect(stored.find((m) => m.id === fixMessage.metadata.message_id)!.parts).toEqual([{ type: "auto_fix", attempt: 1, of: 2 }]);
    // Why the loop ended is stored on the fix-up turn's answer, so a reloaded chat shows it too.
    const stopPart = async () =>
      ((await storedConversation(world, projectId, first.session_id!)).find((m) => m.id === second.metadata.message_id)!.parts as Array<{ type: string }>).find(
        (p) => p.type === "auto_fix_stopped",
      );
    await expect.poll(stopPart).toEqual({ type: "auto_fix_stopped", reason: "fixed", attempts: 1, text: stopped.content });
    chat.close();
  }, 120_000);

  it("stops after the first attempt when the same error comes back, and says so", async () => {
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-stuck") })]),
      reply([text("Done.")]),
      reply([text("I cannot see a problem.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add a script" });
    await chat.completion(1);
    const second = await chat.completion(2);
    expect(second.metadata.auto_fix).toEqual({ attempt: 1, of: 2 });
    expect((second.metadata.evidence as Evidence).errors.map((e) => e.message)).toContain("boom-stuck");
    const stopped = await chat.waitFor("status", (f) => f.metadata.state === "auto_fix_stopped");
    expect(stopped.metadata).toMatchObject({ reason: "same_error", attempts: 1 });
    expect(stopped.content).toContain("same error came back");
    expect(chat.of("message_received").filter((f) => f.metadata.auto_fix)).toHaveLength(1);
    chat.close();
  }, 120_000);

  it("runs at most two fix-up turns per user message", async () => {
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-one") })]),
      reply([text("Done.")]),
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-two") })]),
      reply([text("Fixed, I think.")]),
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-three") })]),
      reply([text("Fixed now, I think.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add one more script" });
    const third = await chat.completion(3, 60_000);
    expect(third.metadata.auto_fix).toEqual({ attempt: 2, of: 2 });
    const fixes = chat.of("message_received").filter((f) => f.metadata.auto_fix);
    expect(fixes.map((f) => f.metadata.auto_fix)).toEqual([
      { attempt: 1, of: 2 },
      { attempt: 2, of: 2 },
    ]);
    expect(fixes[1]!.content).toContain("boom-two");
    const stopped = await chat.waitFor("status", (f) => f.metadata.state === "auto_fix_stopped");
    expect(stopped.metadata).toMatchObject({ reason: "attempts_used", attempts: 2 });
    chat.close();
  }, 120_000);

  it("stops when the fix-up turns spent AUTO_FIX_MAX_TOKENS, even with an attempt left", async () => {
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-costly") })]),
      reply([text("Done.")]),
      // The fix-up turn trades the error for another one and spends more than the 500-token budget doing it.
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-other") })], { prompt: 600, completion: 10 }),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add a costly script" });
    await chat.completion(1);
    const second = await chat.completion(2);
    expect(second.metadata).toMatchObject({ auto_fix: { attempt: 1, of: 2 }, stop_reason: "token_limit" });
    expect((second.metadata.evidence as Evidence).errors.map((e) => e.message)).toEqual(["boom-other"]);
    const stopped = await chat.waitFor("status", (f) => f.metadata.state === "auto_fix_stopped");
    expect(stopped.metadata).toMatchObject({ reason: "token_budget", attempts: 1 });
    expect(chat.of("message_received").filter((f) => f.metadata.auto_fix)).toHaveLength(1);
    chat.close();
  }, 120_000);

  it("stops when the user sends a message while a fix-up turn runs", async () => {
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "main.js", content: throwing("boom-user") })]),
      reply([text("Done.")]),
      reply([text("Looking into it, one moment please.")], undefined, { pauseAfterChunks: 2 }),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Add another script" });
    const first = await chat.completion(1);
    const fixMessage = await chat.waitFor("message_received", (f) => f.metadata.auto_fix !== undefined);
    await chat.waitFor("agent_response", (f) => f.seq! > fixMessage.seq!);
    chat.send({ type: "user_message", content: "Stop, I will do it myself", session_id: first.session_id });
    const busy = await chat.waitFor("error", (f) => f.metadata.code === "busy");
    expect(busy.seq).toBeNull();
    world.llm.release();
    const stopped = await chat.waitFor("status", (f) => f.metadata.state === "auto_fix_stopped");
    expect(stopped.metadata).toMatchObject({ reason: "user_message", attempts: 1 });
    expect(chat.of("completion")).toHaveLength(2);
    chat.close();
  }, 120_000);
});
