import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text } from "../fixtures/scripted-llm/server";
import { imageForm, makeImage, mimeOf, type ImageFormat } from "../helpers/images";
import { startServer } from "../helpers/server";
import { ChatClient, chatWorldOf, createProject, FAKE_KEY, startChatWorld, storedConversation, type ChatWorld } from "./support";

let world: ChatWorld;
let projectId: string;
/** The session of the first test, continued after a restart in the last one. */
let imageSession: string;

beforeAll(async () => {
  world = await startChatWorld();
  projectId = await createProject(world);
});
afterAll(async () => {
  await world?.stop();
});

async function upload(
  format: ImageFormat,
  w = world,
  project = projectId,
): Promise<{ id: string; bytes: Uint8Array; mime: string; width: number; height: number; size: number }> {
  const bytes = await makeImage(format, 4, 3);
  const res = await fetch(`${w.server.url}/api/v1/projects/${project}/attachments`, {
    method: "POST",
    headers: { authorization: w.authorization },
    body: imageForm(bytes, `shot.${format}`, mimeOf(format)),
  });
  const body = await res.text();
  expect(res.status, body).toBe(201);
  return { ...(JSON.parse(body) as { data: { id: string; mime: string; width: number; height: number; size: number } }).data, bytes };
}

const dataUrl = (mime: string, bytes: Uint8Array) => `data:${mime};base64,${Buffer.from(bytes).toString("base64")}`;

/** Sends a message that should be refused; returns the error frame and checks that nothing went upstream. */
async function refused(frame: Record<string, unknown>) {
  const chat = await ChatClient.open(world, projectId);
  const before = world.llm.requests.length;
  chat.send(frame);
  const error = await chat.waitFor("error");
  // A ping answered after the refusal: the socket handled the frame fully, and still nothing was sent upstream.
  chat.send({ type: "ping" });
  await chat.waitFor("pong");
  expect(world.llm.requests.length).toBe(before);
  expect(chat.of("message_received")).toEqual([]);
  chat.close();
  return error;
}

describe("images in chat messages", () => {
  it("sends the images to the model as image_url parts after the text, stores them with the message, and sends a note instead in later turns", async () => {
    const png = await upload("png");
    const jpeg = await upload("jpeg");
    world.llm.enqueue(reply([text("A red square, twice.")]));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "What do you see?", metadata: { attachments: [png.id, jpeg.id] } });
    const done = await chat.completion();
    const sessionId = done.session_id!;
    imageSession = sessionId;

    const received = chat.of("message_received")[0]!;
    expect(received.metadata.attachments).toEqual([
      { id: png.id, mime: "image/png", size: png.size, width: 4, height: 3 },
      { id: jpeg.id, mime: "image/jpeg", size: jpeg.size, width: 4, height: 3 },
    ]);

    const last = world.llm.requests.at(-1)!.body.messages.at(-1)!;
    expect(last).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What do you see?" },
        { type: "image_url", image_url: { url: dataUrl("image/png", png.bytes) } },
        { type: "image_url", image_url: { url: dataUrl("image/jpeg", jpeg.bytes) } },
      ],
    });

    const stored = await storedConversation(world, projectId, sessionId);
    expect(stored[0]).toMatchObject({ role: "user", content: "What do you see?", attachments: received.metadata.attachments });
    expect(stored[0]!.parts).toEqual([
      { type: "image", attachment_id: png.id, mime: "image/png", size: png.size, width: 4, height: 3 },
      { type: "image", attachment_id: jpeg.id, mime: "image/jpeg", size: jpeg.size, width: 4, height: 3 },
    ]);
    expect(stored[1]!.attachments).toEqual([]);

    // The next turn: the earlier images are a short note in the history, not image parts again.
    world.llm.enqueue(reply([text("Noted.")]));
    chat.send({ type: "user_message", content: "Make the page red", session_id: sessionId });
    await chat.completion(2);
    const history = world.llm.requests.at(-1)!.body.messages.filter((m) => m.role !== "system");
    expect(JSON.stringify(history)).not.toContain("image_url");
    expect(history.map((m) => [m.role, m.content])).toEqual([
      ["user", "What do you see?\n\n[The user attached 2 images here; shown in that turn only, not repeated.]"],
      ["assistant", "A red square, twice."],
      ["user", "Make the page red"],
    ]);
    chat.close();
  });

  it("takes a message of images only (no text), and every accepted type", async () => {
    const images = await Promise.all((["png", "jpeg", "webp", "gif"] as const).map((f) => upload(f)));
    world.llm.enqueue(reply([text("Four images.")]));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "", metadata: { attachments: images.map((i) => i.id) } });
    const done = await chat.completion();
    expect(done.metadata.status).toBe("complete");
    expect(world.llm.requests.at(-1)!.body.messages.at(-1)).toEqual({
      role: "user",
      content: images.map((i) => ({ type: "image_url", image_url: { url: dataUrl(i.mime, i.bytes) } })),
    });
    const stored = await storedConversation(world, projectId, done.session_id!);
    expect(stored[0]!.attachments.map((a) => a.id)).toEqual(images.map((i) => i.id));
    chat.close();
  });

  it("lets an unknown model (vision not known) have the images: the provider decides", async () => {
    const png = await upload("png");
    world.llm.enqueue(reply([text("ok")]));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "look", metadata: { model: "someones-own-finetune", attachments: [png.id] } });
    await chat.completion();
    const request = world.llm.requests.at(-1)!.body;
    expect(request.model).toBe("someones-own-finetune");
    expect(JSON.stringify(request.messages.at(-1))).toContain(dataUrl("image/png", png.bytes));
    chat.close();
  });

  it("refuses more than 4 images, or one named twice, as an invalid frame", async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => upload("png").then((u) => u.id)));
    const five = await refused({ type: "user_message", content: "many", metadata: { attachments: ids } });
    expect(five.metadata).toMatchObject({ code: "invalid_frame", fields: [{ path: "metadata.attachments", message: "at most 4 images per message" }] });
    const twice = await refused({ type: "user_message", content: "twice", metadata: { attachments: [ids[0], ids[0]] } });
    expect(twice.metadata).toMatchObject({ code: "invalid_frame", fields: [{ path: "metadata.attachments" }] });
    const empty = await refused({ type: "user_message", content: "  ", metadata: { attachments: [] } });
    expect(empty.metadata).toMatchObject({ code: "invalid_frame", fields: [{ path: "content", message: "must not be empty" }] });
  });

  it("refuses unknown ids, another user's image and another project's image with not_found, before anything goes upstream", async () => {
    const unknown = await refused({ type: "user_message", content: "x", metadata: { attachments: ["00000000-0000-4000-8000-000000000000"] } });
    expect(unknown.metadata.code).toBe("not_found");
    expect(unknown.content).toContain("00000000-0000-4000-8000-000000000000");

    const bob = await chatWorldOf(world.server, world.llm, "bob");
    const bobsProject = await createProject(bob);
    const bobs = await upload("png", bob, bobsProject);
    const foreign = await refused({ type: "user_message", content: "x", metadata: { attachments: [bobs.id] } });
    expect(foreign.metadata.code).toBe("not_found");

    const otherProject = await createProject(world);
    const elsewhere = await upload("png", world, otherProject);
    const mine = await upload("png");
    const wrongProject = await refused({ type: "user_message", content: "x", metadata: { attachments: [mine.id, elsewhere.id] } });
    expect(wrongProject.metadata.code).toBe("not_found");
    expect(wrongProject.content).toContain(elsewhere.id);
  });

  it.each(["qwen2.5-coder:7b", "deepseek/deepseek-chat-v3.1"])(
    "refuses images for %s (no vision) with model_lacks_vision naming a model that has it",
    async (model) => {
      const png = await upload("png");
      const error = await refused({ type: "user_message", content: "look", metadata: { model, attachments: [png.id] } });
      expect(error.metadata.code).toBe("model_lacks_vision");
      expect(error.content).toContain(model);
      const suggested = error.metadata.suggested_model!;
      expect(error.content).toContain(`"${suggested}"`);
      const { capabilitiesOf } = await import("@/lib/llm/prices");
      expect(capabilitiesOf(suggested).vision).toBe(true);
      // Without images the same model is fine.
      world.llm.enqueue(reply([text("text only")]));
      const chat = await ChatClient.open(world, projectId);
      chat.send({ type: "user_message", content: "no images", metadata: { model } });
      expect((await chat.completion()).metadata.status).toBe("complete");
      chat.close();
    },
  );

  it("after a restart, history read from DuckDB carries the same note in place of the images", async () => {
    const dataDir = world.server.dataDir;
    await world.server.stop();
    const server = await startServer({
      dataDir,
      env: {
        LLM_PROVIDER: "openai-compatible",
        OPENAI_BASE_URL: world.llm.baseURL,
        OPENAI_API_KEY: FAKE_KEY,
        MODEL_NAME: "gpt-4o-mini",
        LLM_CHUNK_TIMEOUT_MS: "1500",
      },
    });
    world = { ...(await chatWorldOf(server, world.llm)), stop: async () => (await server.stop(), await world.llm.close()) };
    world.llm.enqueue(reply([text("Still here.")]));
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "And now?", session_id: imageSession });
    await chat.completion();
    const history = world.llm.requests.at(-1)!.body.messages.filter((m) => m.role !== "system");
    expect(JSON.stringify(history)).not.toContain("image_url");
    expect(history[0]).toEqual({ role: "user", content: "What do you see?\n\n[The user attached 2 images here; shown in that turn only, not repeated.]" });
    expect(history.at(-1)).toEqual({ role: "user", content: "And now?" });
    chat.close();
  });
});
