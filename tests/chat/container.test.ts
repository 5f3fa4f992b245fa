import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { docker, instanceContainers, previewCookie, previewRequest, removeInstanceContainers, requireEngine } from "../containers/support";
import { ChatClient, createProject, FAKE_KEY, startChatWorld, type ChatWorld } from "./support";

let world: ChatWorld;
let project: { id: string; slug: string };

beforeAll(async () => {
  await requireEngine();
  world = await startChatWorld({ CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64", CONTAINER_CPUS: "0.5" });
  const id = await createProject(world, "chat-preview");
  const res = await world.api(`/api/v1/projects/${id}`);
  project = ((await res.json()) as { data: { id: string; slug: string } }).data;
});

afterAll(async () => {
  if (world) {
    await removeInstanceContainers(world.server.dataDir);
    await world.stop();
  }
});

const auth = () => ({ authorization: world.authorization, userId: world.userId });

describe("agent tools in the project's container", () => {
  it("edits a page, checks the preview (which serves the change), reads logs; preview_ready reaches the socket", async () => {
    world.llm.enqueue(
      reply([toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Made by the agent</h1>" })]),
      reply([toolCall("check_preview", { path: "/" })]),
      reply([toolCall("read_logs", { lines: 20 })]),
      reply([text("The preview shows the new heading.")]),
    );
    const chat = await ChatClient.open(world, project.id);
    chat.send({ type: "user_message", content: "Change the heading" });
    // The turn starts the container (check_preview) and ends with a headless look at the preview (evidence).
    const done = await chat.completion(1, 90_000);
    expect(done.metadata).toMatchObject({
      status: "complete",
      stop_reason: "done",
      files_changed: ["index.html"],
      evidence: { ok: true, preview_status: 200, errors: [] },
    });
    const [, preview, logs] = chat.of("tool_result");
    expect(preview!.metadata).toMatchObject({ tool: "check_preview", ok: true, output: { status: 200, ok: true, title: "My Slipway site" } });
    expect(JSON.stringify(preview!.metadata.output)).toContain("Made by the agent");
    expect(logs!.metadata.ok).toBe(true);
    expect(chat.of("status").some((f) => f.metadata.state === "waiting_for_preview")).toBe(true);
    await chat.waitFor("preview_ready");

    const cookie = await previewCookie(world.server, auth(), project.id, project.slug);
    expect((await previewRequest(world.server, project.slug, "/", { cookie })).body).toContain("<h1>Made by the agent</h1>");
    chat.close();
  });

  it("run_command runs in the container with no provider key in its environment", async () => {
    world.llm.enqueue(reply([toolCall("run_command", { command: "env; echo done-$((6*7))" })]), reply([text("ok")]));
    const chat = await ChatClient.open(world, project.id);
    chat.send({ type: "user_message", content: "Show the environment" });
    await chat.completion(1);
    const result = chat.of("tool_result")[0]!;
    expect(result.metadata).toMatchObject({ tool: "run_command", ok: true, output: { exit_code: 0 } });
    const output = JSON.stringify(result.metadata.output);
    expect(output).toContain("done-42");
    expect(output).not.toContain(FAKE_KEY);
    expect(output).not.toMatch(/OPENAI_API_KEY|AUTH_SECRET/);
    chat.close();
  });

  it("cancel during run_command kills the running command", async () => {
    world.llm.enqueue(reply([toolCall("run_command", { command: "sleep 45; echo finished", timeout_seconds: 120 })]), reply([text("never requested")]));
    const chat = await ChatClient.open(world, project.id);
    chat.send({ type: "user_message", content: "Wait a long time" });
    await chat.waitFor("tool_call", (f) => f.metadata.tool === "run_command");
    const [container] = await instanceContainers(world.server.dataDir);
    const sleeping = async () => {
      const top = await docker.getContainer(container!.Id).top({ ps_args: "-eo pid,args" });
      return (top.Processes as string[][]).some((p: string[]) => p.join(" ").includes("sleep 45"));
    };
    for (let i = 0; i < 100 && !(await sleeping()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await sleeping()).toBe(true);
    const started = Date.now();
    chat.send({ type: "cancel" });
    const done = await chat.completion(1);
    const elapsed = Date.now() - started;
    console.log(`cancel during run_command: completion after ${elapsed} ms`);
    expect(done.metadata).toMatchObject({ status: "cancelled", stop_reason: "cancelled" });
    expect(await sleeping()).toBe(false);
    expect(world.llm.pending()).toBe(1); // the next step was never requested
    world.llm.clear();
    chat.close();
  });
});
