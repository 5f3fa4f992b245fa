import { afterAll, beforeAll, expect, it } from "vitest";
import type { Evidence } from "@/lib/shared/chat-protocol";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { api, removeInstanceContainers, requireEngine } from "../containers/support";
import { ChatClient, createProject, startChatWorld, type ChatWorld } from "./support";

/** Without a Chromium at CHROMIUM_PATH, check_preview and the evidence of a turn fall back to an HTTP fetch and say so. */

let world: ChatWorld;
let projectId: string;

beforeAll(async () => {
  await requireEngine();
  world = await startChatWorld({ CHROMIUM_PATH: "/nonexistent/chromium", CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64", CONTAINER_CPUS: "0.5" });
  projectId = await createProject(world, "no-chromium");
  const auth = { authorization: world.authorization, userId: world.userId };
  const started = await api<{ state: string }>(world.server, auth, "POST", `/api/v1/projects/${projectId}/container/start`);
  expect(started.json.data.state, started.text).toBe("ready");
}, 180_000);

afterAll(async () => {
  if (world) {
    await removeInstanceContainers(world.server.dataDir);
    await world.stop();
  }
});

it("check_preview and the turn's evidence use an HTTP fetch (mode http, with a note naming Chromium) and send no image", async () => {
  world.llm.enqueue(
    reply([toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Fetched over HTTP</h1>" })]),
    reply([toolCall("check_preview", {})]),
    reply([text("The heading changed.")]),
  );
  const before = world.llm.requests.length;
  const chat = await ChatClient.open(world, projectId);
  chat.send({ type: "user_message", content: "Change the heading" });
  const done = await chat.completion(1);
  const check = chat.of("tool_result").find((f) => f.metadata.tool === "check_preview")!;
  expect(check.metadata.output).toMatchObject({ mode: "http", status: 200, ok: true, screenshot: false });
  expect((check.metadata.output as { note: string }).note).toContain("No Chromium");
  expect((check.metadata.output as { text: string }).text).toContain("Fetched over HTTP");
  const evidence = done.metadata.evidence as Evidence;
  expect(evidence).toMatchObject({ mode: "http", ok: true, preview_status: 200, errors: [] });
  expect(evidence.screenshot_url).toBeUndefined();
  expect(JSON.stringify(world.llm.requests.slice(before).map((r) => r.body.messages))).not.toContain("image_url");
  chat.close();
}, 120_000);
