import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../api/support";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { ChatClient, startChatWorld, type ChatWorld } from "../chat/support";
import { instanceContainers, previewCookie, previewRequest, removeInstanceContainers, requireEngine, waitFor } from "../containers/support";
import { makeImage } from "../helpers/images";
import { TEMPLATE_CACHE_DIR } from "./support";

const CONTAINER_ENV = { CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64", CONTAINER_CPUS: "0.5", TEMPLATE_CACHE_DIR };
const NOT_CONFIGURED = "No LLM provider is configured.";
const LONG_PROMPT = "x".repeat(100_001);

type Created = { id: string; name: string; slug: string; template: string; session_id: string | null };

let world: ChatWorld;

beforeAll(async () => {
  await requireEngine();
  world = await startChatWorld(CONTAINER_ENV);
});

afterAll(async () => {
  if (world) {
    await removeInstanceContainers(world.server.dataDir);
    await world.stop();
  }
});

const auth = () => ({ authorization: world.authorization, userId: world.userId });

async function create(body: unknown): Promise<{ status: number; body: { data: Created } & Record<string, unknown>; res: Response; text: string }> {
  const res = await world.api("/api/v1/projects", { method: "POST", body: JSON.stringify(body) });
  const textBody = await res.clone().text();
  return { status: res.status, body: JSON.parse(textBody), res, text: textBody };
}

async function projectCount(api: (path: string) => Promise<Response>): Promise<number> {
  const res = await api("/api/v1/projects?limit=200");
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: unknown[] }).data.length;
}

async function containersOf(server: TestServer, projectId: string) {
  return (await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.project"] === projectId && c.Labels["slipway.role"] !== "exec");
}

/** Follows a session over a fresh chat socket from its first frame until the turn's completion. */
async function follow(projectId: string, sessionId: string) {
  const chat = await ChatClient.open(world, projectId);
  chat.send({ type: "resume", session_id: sessionId, metadata: { last_seq: 0 } });
  const done = await chat.completion(1);
  chat.close();
  return { chat, done };
}

describe("POST /api/v1/projects with a prompt", () => {
  it("creates the project, starts its container and its first turn; a resume from seq 0 follows the turn; the preview serves the agent's change", async () => {
    world.llm.enqueue(
      reply([toolCall("write_file", { path: "index.html", content: "<!doctype html><html><body><h1>Built from a prompt</h1></body></html>" })]),
      reply([text("The page now says Built from a prompt.")]),
    );
    const prompt = "Build a simple HTML page that says Built from a prompt";
    const created = await create({ prompt });
    expect(created.status, created.text).toBe(201);
    const project = created.body.data;
    expect(project).toMatchObject({ template: "static", name: "Simple HTML page that says Built" });
    expect(project.session_id).toMatch(/^[0-9a-f-]{36}$/);

    const { chat, done } = await follow(project.id, project.session_id!);
    const sequenced = chat.frames.filter((f) => f.seq !== null && f.session_id === project.session_id);
    expect(sequenced[0]).toMatchObject({ type: "message_received", seq: 1, content: prompt });
    expect(sequenced.at(-1)?.type).toBe("completion");
    expect(done.metadata).toMatchObject({ status: "complete", files_changed: ["index.html"] });
    expect(chat.text(project.session_id!)).toContain("Built from a prompt");

    const file = await world.api(`/api/v1/projects/${project.id}/files/content?path=index.html`);
    expect(JSON.stringify(await file.json())).toContain("<h1>Built from a prompt</h1>");
    // Started at creation, without anyone asking for the preview.
    await waitFor("the container started at creation", async () => (await containersOf(world.server, project.id)).length === 1, 60_000);
    const cookie = await previewCookie(world.server, auth(), project.id, project.slug);
    expect((await previewRequest(world.server, project.slug, "/", { cookie })).body).toContain("<h1>Built from a prompt</h1>");

    const stored = await world.api(`/api/v1/projects/${project.id}/conversations?session_id=${project.session_id}`);
    const messages = ((await stored.json()) as { data: Array<{ role: string; content: string }> }).data;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[0]!.content).toBe(prompt);
  });

  it("picks vite-react for a prompt that names no kind of page, names the project after it, and start_container: false starts no container", async () => {
    world.llm.enqueue(reply([text("Here is the plan.")]));
    const created = await create({ prompt: "Make me a todo app with dark mode!\nIt should remember the list.", start_container: false });
    expect(created.status, created.text).toBe(201);
    const project = created.body.data;
    expect(project).toMatchObject({ template: "vite-react", name: "Todo app with dark mode" });
    const { done } = await follow(project.id, project.session_id!);
    expect(done.metadata.status).toBe("complete");
    expect(await containersOf(world.server, project.id)).toEqual([]);
    const state = await world.api(`/api/v1/projects/${project.id}/container`);
    expect(((await state.json()) as { data: { state: string } }).data.state).toBe("stopped");
  });

  it("uses the template and model given", async () => {
    world.llm.enqueue(reply([text("Done.")]));
    const created = await create({ prompt: "A plain HTML page", template: "node-api", model: "scripted-model-b", name: "Chosen", start_container: false });
    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toMatchObject({ template: "node-api", name: "Chosen" });
    const { chat } = await follow(created.body.data.id, created.body.data.session_id!);
    expect(chat.of("message_received")[0]!.metadata.model).toBe("scripted-model-b");
    expect(world.llm.requests.at(-1)?.body.model).toBe("scripted-model-b");
  });

  it.each([
    ["a prompt over the chat's limit", { prompt: LONG_PROMPT }, "body.prompt"],
    ["an empty prompt", { prompt: "   " }, "body.prompt"],
    ["a model without a prompt", { template: "static", model: "gpt-4o-mini" }, "body.model"],
    ["a start_container that is not a boolean", { prompt: "A page", start_container: "no" }, "body.start_container"],
  ])("refuses %s with 400 and leaves no project", async (_label, body, field) => {
    const before = await projectCount(world.api);
    const created = await create(body);
    const error = await expectError(created.res, 400, "bad_request");
    expect(error.error.fields?.map((f) => f.path)).toContain(field);
    expect(await projectCount(world.api)).toBe(before);
  });

  it("refuses an unknown template with 400 and leaves no project", async () => {
    const before = await projectCount(world.api);
    const created = await create({ prompt: "A page", template: "cobol" });
    const error = await expectError(created.res, 400, "bad_request");
    expect(error.error.message).toContain('Unknown template "cobol"');
    expect(await projectCount(world.api)).toBe(before);
  });

  it("without a prompt, creates the project and starts its container unless start_container is false", async () => {
    const started = await create({ template: "static" });
    expect(started.status, started.text).toBe(201);
    expect(started.body.data.session_id).toBeNull();
    await waitFor("the container started at creation", async () => (await containersOf(world.server, started.body.data.id)).length === 1, 60_000);

    const idle = await create({ template: "static", start_container: false });
    expect(idle.status, idle.text).toBe(201);
    const state = await world.api(`/api/v1/projects/${idle.body.data.id}/container`);
    expect(((await state.json()) as { data: { state: string } }).data.state).toBe("stopped");
    expect(await containersOf(world.server, idle.body.data.id)).toEqual([]);
  });
});

describe("POST /api/v1/projects/from-prompt (a prompt with images, multipart)", () => {
  const form = (fields: Record<string, string>, images: Array<{ bytes: Uint8Array | string; name: string; type: string }>) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    for (const i of images) body.append("images", new Blob([i.bytes as Uint8Array<ArrayBuffer>], { type: i.type }), i.name);
    return body;
  };
  const post = (body: FormData) =>
    fetch(`${world.server.url}/api/v1/projects/from-prompt`, { method: "POST", headers: { authorization: world.authorization }, body });

  it("creates the project and its first turn with the images as the message's attachments; the model receives them as image parts", async () => {
    const png = await makeImage("png", 5, 4);
    const before = world.llm.requests.length;
    world.llm.enqueue(reply([text("I see the sketch.")]));
    const res = await post(
      form({ prompt: "Build what this sketch shows", template: "static", start_container: "false" }, [{ bytes: png, name: "sketch.png", type: "image/png" }]),
    );
    const created = (await res.json()) as { data: Created };
    expect(res.status, JSON.stringify(created)).toBe(201);
    const { chat, done } = await follow(created.data.id, created.data.session_id!);
    expect(done.metadata.status).toBe("complete");
    const received = chat.frames.find((f) => f.type === "message_received" && f.session_id === created.data.session_id)!;
    const attachments = (received.metadata as { attachments?: Array<{ id: string; mime: string; width: number; height: number }> }).attachments;
    expect(attachments).toMatchObject([{ mime: "image/png", width: 5, height: 4 }]);
    const upstream = world.llm.requests[before]!.body.messages.at(-1)!;
    expect(upstream.content).toEqual([
      { type: "text", text: "Build what this sketch shows" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${Buffer.from(png).toString("base64")}` } },
    ]);
    const image = await world.api(`/api/v1/projects/${created.data.id}/attachments/${attachments![0]!.id}`);
    expect(Buffer.from(await image.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
  });

  it("refuses a file that is not an image (415), more than four images (400) and a model without vision (400), leaving no project behind", async () => {
    const count = await projectCount((p) => world.api(p));
    const requests = world.llm.requests.length;
    const png = await makeImage("png");
    await expectError(
      await post(form({ prompt: "Use this" }, [{ bytes: "not an image at all", name: "x.png", type: "image/png" }])),
      415,
      "unsupported_media_type",
    );
    const five = Array.from({ length: 5 }, (_, i) => ({ bytes: png, name: `${i}.png`, type: "image/png" }));
    await expectError(await post(form({ prompt: "Use these" }, five)), 400, "bad_request");
    const blind = await expectError(
      await post(form({ prompt: "Use this", model: "qwen2.5-coder:7b" }, [{ bytes: png, name: "a.png", type: "image/png" }])),
      400,
      "bad_request",
    );
    expect((blind.error as { reason?: string }).reason).toBe("model_lacks_vision");
    await expectError(await post(form({}, [{ bytes: png, name: "a.png", type: "image/png" }])), 400, "bad_request");
    expect(await projectCount((p) => world.api(p))).toBe(count);
    expect(world.llm.requests.length).toBe(requests);
  });
});

describe("POST /api/v1/projects with a prompt and no LLM configured", () => {
  let server: TestServer;
  let projectsDir: string;

  beforeAll(async () => {
    // Ollama's port must not answer, or the server would find a provider there.
    const ollama = await new Promise<boolean>((resolve) => {
      const socket = net.connect(11434, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
    expect(ollama, "something listens on 127.0.0.1:11434").toBe(false);
    server = await startServer({ env: CONTAINER_ENV });
    projectsDir = path.join(server.dataDir, "projects");
  });

  afterAll(async () => {
    if (server) {
      await removeInstanceContainers(server.dataDir);
      await server.stop();
    }
  });

  it("answers 400 llm_not_configured with the chat's message and leaves no project, files or container", async () => {
    const { authorization } = await apiKeyFor(server.url, "carol");
    const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { authorization, "content-type": "application/json" } });
    const res = await api("/api/v1/projects", { method: "POST", body: JSON.stringify({ prompt: "Build a landing page" }) });
    const error = await expectError(res, 400, "bad_request");
    expect((error.error as { reason?: string }).reason).toBe("llm_not_configured");
    expect(error.error.message).toContain(NOT_CONFIGURED);
    expect(error.error.message).toContain("OPENROUTER_API_KEY");
    expect(await projectCount(api)).toBe(0);
    expect(fs.existsSync(projectsDir) ? fs.readdirSync(projectsDir) : []).toEqual([]);
    expect(await instanceContainers(server.dataDir)).toEqual([]);
  });
});
