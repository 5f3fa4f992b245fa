import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbFileBytes, expectError } from "../api/support";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { freePort } from "../helpers/server";
import { ChatClient, chatWorldOf, createProject, FAKE_KEY, startChatWorld, type ChatWorld } from "./support";

// The server's provider is the scripted stub `world.llm` with FAKE_KEY; alice adds her own OpenAI-compatible
// server (`own`, which accepts only USER_KEY) in Settings → Models & keys.
const USER_KEY = "sk-user-OWN-provider-key-9876543210-wxyz";
const WRONG_KEY = "sk-user-WRONG-key-00000000000-abcd";

let world: ChatWorld;
let bob: ChatWorld;
let own: ScriptedLlm;
const bodies: string[] = [];
const chats: ChatClient[] = [];

type Provider = {
  provider: string;
  configured: boolean;
  source: string | null;
  key_hint: string | null;
  has_key: boolean;
  base_url: string | null;
  last_tested_at: string | null;
};
type TestResult = { ok: boolean; source: string; latency_ms: number; models: string[]; error?: string };

/** Calls the API as `w`'s user and keeps every response body (to check no key is ever in one). */
async function call(w: ChatWorld, path: string, init: RequestInit = {}): Promise<{ status: number; body: string; data: unknown }> {
  const res = await w.api(path, init);
  const body = await res.text();
  bodies.push(body);
  return { status: res.status, body, data: (JSON.parse(body) as { data?: unknown }).data };
}
const put = (w: ChatWorld, provider: string, value: unknown) => call(w, `/api/v1/me/providers/${provider}`, { method: "PUT", body: JSON.stringify(value) });
const testOf = async (w: ChatWorld, provider: string) => {
  const r = await call(w, `/api/v1/me/providers/${provider}/test`, { method: "POST" });
  expect(r.status, r.body).toBe(200);
  return r.data as TestResult;
};
const providers = async (w: ChatWorld) => (await call(w, "/api/v1/me/providers")).data as Provider[];

async function turn(w: ChatWorld, projectId: string, content: string, model?: string) {
  const chat = await ChatClient.open(w, projectId);
  chats.push(chat);
  chat.send({ type: "user_message", content, ...(model ? { metadata: { model } } : {}) });
  const done = await chat.completion(1);
  chat.close();
  return done;
}

beforeAll(async () => {
  own = await startScriptedLlm({ apiKey: USER_KEY, models: ["own-model-a", "own-model-b"] });
  world = await startChatWorld();
  bob = await chatWorldOf(world.server, world.llm, "bob");
});
afterAll(async () => {
  await world?.stop();
  await own?.close();
});

describe("a user's own provider keys", () => {
  it("lists the four providers with where their settings come from", async () => {
    const list = await providers(world);
    expect(list.map((p) => p.provider)).toEqual(["openrouter", "openai", "anthropic", "openai-compatible"]);
    // The server's env: an OpenAI-compatible base URL (not shown: it can be an internal address) with a key.
    expect(list.find((p) => p.provider === "openai-compatible")).toMatchObject({
      configured: true,
      source: "server",
      key_hint: null,
      has_key: true,
      base_url: null,
    });
    expect(list.find((p) => p.provider === "openrouter")).toMatchObject({
      configured: false,
      source: null,
      key_hint: null,
      base_url: null,
      last_tested_at: null,
    });
  });

  it("refuses bad input with the field named, and stores nothing of a refused request", async () => {
    await expectError(await world.api("/api/v1/me/providers/nope", { method: "PUT", body: JSON.stringify({ api_key: USER_KEY }) }), 404, "not_found");
    await expectError(await world.api("/api/v1/me/providers/nope/test", { method: "POST" }), 404, "not_found");
    const cases: Array<[string, unknown, string]> = [
      ["openai-compatible", {}, "body.base_url"],
      ["openai-compatible", { api_key: USER_KEY }, "body.base_url"],
      ["openai-compatible", { base_url: "not a url" }, "body.base_url"],
      ["openai-compatible", { base_url: "ftp://127.0.0.1/v1" }, "body.base_url"],
      ["openai-compatible", { base_url: "http://user:pw@127.0.0.1/v1" }, "body.base_url"],
      ["openai", { api_key: "k".repeat(513) }, "body.api_key"],
      ["openai", { api_key: "has a space in it" }, "body.api_key"],
      ["openai", {}, "body.api_key"],
      ["openai", { api_key: USER_KEY, base_url: own.baseURL }, "body.base_url"],
      ["anthropic", { api_key: USER_KEY, extra: 1 }, "body.extra"],
    ];
    for (const [provider, value, field] of cases) {
      const res = await world.api(`/api/v1/me/providers/${provider}`, { method: "PUT", body: JSON.stringify(value) });
      const error = await expectError(res, 400, "bad_request");
      expect(
        error.error.fields?.map((f) => f.path),
        JSON.stringify(value),
      ).toContain(field);
    }
    expect((await providers(world)).filter((p) => p.source === "user")).toEqual([]);
    await expectError(await world.api("/api/v1/me/providers/openai", { method: "DELETE" }), 404, "not_found");
    await expectError(await world.api("/api/v1/me/providers/openrouter/test", { method: "POST" }), 409, "conflict");
  });

  it("tests the server's settings while the user has none", async () => {
    expect(await testOf(world, "openai-compatible")).toMatchObject({ ok: true, source: "server", models: ["scripted-model"] });
  });

  it("a key the provider refuses: its own error text comes back, without the key", async () => {
    const saved = await put(world, "openai-compatible", { base_url: own.baseURL, api_key: WRONG_KEY });
    expect(saved.status, saved.body).toBe(200);
    expect(saved.data).toMatchObject({
      provider: "openai-compatible",
      configured: true,
      source: "user",
      key_hint: "abcd",
      has_key: true,
      base_url: own.baseURL,
      last_tested_at: null,
    });
    const result = await testOf(world, "openai-compatible");
    expect(result).toMatchObject({ ok: false, source: "user", models: [] });
    expect(result.error).toContain("401: Incorrect API key provided");
    expect(own.modelListAuthorizations.at(-1)).toBe(`Bearer ${WRONG_KEY}`);
    expect((await providers(world)).find((p) => p.provider === "openai-compatible")?.last_tested_at).toBeNull();
  });

  it("an unreachable base URL says so", async () => {
    const closed = await freePort();
    expect((await put(world, "openai-compatible", { base_url: `http://127.0.0.1:${closed}/v1` })).status).toBe(200);
    const result = await testOf(world, "openai-compatible");
    expect(result).toMatchObject({ ok: false, source: "user", models: [] });
    expect(result.error).toBe(`Could not connect to http://127.0.0.1:${closed}: connection refused (is the server running?)`);
  });

  it("a base URL that leads to something other than the API: its page is not echoed back", async () => {
    const page = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html>internal admin page: do not show</html>");
    });
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    try {
      expect((await put(world, "openai-compatible", { base_url: `http://127.0.0.1:${(page.address() as AddressInfo).port}` })).status).toBe(200);
      const result = await testOf(world, "openai-compatible");
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/^the server answered 404 without an API error message/);
      expect(result.error).not.toContain("internal admin page");
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it("a working key lists the models and records the test; the key is kept when only the URL changes", async () => {
    expect((await put(world, "openai-compatible", { api_key: USER_KEY })).status).toBe(200);
    // The stored key stays when the URL changes alone.
    const saved = await put(world, "openai-compatible", { base_url: own.baseURL });
    expect(saved.data).toMatchObject({ key_hint: "wxyz", base_url: own.baseURL });
    const result = await testOf(world, "openai-compatible");
    expect(result).toMatchObject({ ok: true, source: "user", models: ["own-model-a", "own-model-b"] });
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(result.error).toBeUndefined();
    expect(own.modelListAuthorizations.at(-1)).toBe(`Bearer ${USER_KEY}`);
    const listed = (await providers(world)).find((p) => p.provider === "openai-compatible")!;
    expect(Date.parse(listed.last_tested_at!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("the user's turns use the user's key and are billed as key_source 'user'; another user's turns do not", async () => {
    const projectId = await createProject(world, "own-key-site");
    own.enqueue(reply([text("paid by alice")], { prompt: 10, completion: 2 }));
    const before = world.llm.requests.length;
    const done = await turn(world, projectId, "hello with my key");
    expect(done.metadata).toMatchObject({ status: "complete", provider: "openai-compatible", model: "own-model-a" });
    expect(own.requests.at(-1)!.authorization).toBe(`Bearer ${USER_KEY}`);
    expect(world.llm.requests.length).toBe(before);
    const usage = await call(world, `/api/v1/tokens/usage/${done.session_id}`);
    expect((usage.data as { calls: Array<{ key_source: string; provider: string }> }).calls).toEqual([
      expect.objectContaining({ key_source: "user", provider: "openai-compatible" }),
    ]);
    const report = await call(world, `/api/v1/tokens/project/${projectId}`);
    expect((report.data as { by_model: unknown[] }).by_model).toEqual([expect.objectContaining({ model: "own-model-a", key_source: "user", calls: 1 })]);

    const bobProject = await createProject(bob, "bob-site", bob.authorization);
    const ownBefore = own.requests.length;
    world.llm.enqueue(reply([text("paid by the server")], { prompt: 10, completion: 2 }));
    const bobs = await turn(bob, bobProject, "hello from bob");
    expect(bobs.metadata.status).toBe("complete");
    expect(world.llm.requests.at(-1)!.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(own.requests.length).toBe(ownBefore);
    const bobUsage = await call(bob, `/api/v1/tokens/usage/${bobs.session_id}`);
    expect((bobUsage.data as { calls: Array<{ key_source: string }> }).calls).toEqual([expect.objectContaining({ key_source: "server" })]);
    expect((await providers(bob)).find((p) => p.provider === "openai-compatible")).toMatchObject({ source: "server", key_hint: null });
  });

  it("models/all lists the caller's own models; the project remembers the model a turn asked for", async () => {
    const mine = (await call(world, "/api/v1/models/all")).data as Array<{
      id: string;
      provider: string;
      key_source: string | null;
      available: boolean;
      context_length: number | null;
      vision: boolean | null;
      tools: boolean | null;
    }>;
    expect(mine.find((m) => m.id === "own-model-b")).toMatchObject({ provider: "openai-compatible", key_source: "user", available: true });
    expect(mine.find((m) => m.id === "gpt-4o")).toMatchObject({ context_length: 128000, vision: true, tools: true });
    const bobs = (await call(bob, "/api/v1/models/all")).data as Array<{ id: string }>;
    expect(bobs.some((m) => m.id === "own-model-b")).toBe(false);

    const projectId = await createProject(world, "remembers-model");
    expect(((await call(world, `/api/v1/projects/${projectId}`)).data as { last_model: string | null }).last_model).toBeNull();
    own.enqueue(reply([text("b it is")]));
    const done = await turn(world, projectId, "use model b", "own-model-b");
    expect(done.metadata.model).toBe("own-model-b");
    expect(own.requests.at(-1)!.body.model).toBe("own-model-b");
    expect(((await call(world, `/api/v1/projects/${projectId}`)).data as { last_model: string | null }).last_model).toBe("own-model-b");
  });

  it("removing the settings gives the server's provider back at once", async () => {
    const removed = await call(world, "/api/v1/me/providers/openai-compatible", { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(removed.data).toMatchObject({ source: "server", key_hint: null });
    const projectId = await createProject(world, "after-removal");
    world.llm.enqueue(reply([text("server again")]));
    const done = await turn(world, projectId, "and now?");
    expect(done.metadata.status).toBe("complete");
    expect(world.llm.requests.at(-1)!.authorization).toBe(`Bearer ${FAKE_KEY}`);
  });

  it("the user's key is in no response, chat frame, log line or database byte", async () => {
    const frames = chats.flatMap((c) => c.raw);
    expect(frames.length).toBeGreaterThan(0);
    expect(bodies.length).toBeGreaterThan(10);
    const output = world.server.output();
    expect(output).toContain("/api/v1/me/providers"); // the requests were logged
    const db = (await dbFileBytes(world.server.dataDir)).toString("latin1");
    for (const key of [USER_KEY, WRONG_KEY]) {
      for (const body of bodies) expect(body).not.toContain(key);
      for (const frame of frames) expect(frame).not.toContain(key);
      expect(output).not.toContain(key);
      expect(db).not.toContain(key);
    }
  });
});
