import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, startScriptedLlm, text } from "../fixtures/scripted-llm/server";
import { startServer } from "../helpers/server";
import { ChatClient, chatWorldOf, createProject, type ChatWorld } from "./support";

// Ollama's own port: the fallback the issue names. Test files run one at a time (vitest.config: fileParallelism
// false), so providers.test's "no Ollama answering" never sees this server.
const OLLAMA_PORT = 11434;
const OLLAMA_MODELS = ["qwen2.5-coder:7b", "llama3.2:3b"];

let world: ChatWorld;

beforeAll(async () => {
  const llm = await startScriptedLlm({ port: OLLAMA_PORT, models: OLLAMA_MODELS }).catch((error: unknown) => {
    throw new Error(`this test plays Ollama on 127.0.0.1:${OLLAMA_PORT}, which something else holds: ${String(error)}`);
  });
  // No LLM_PROVIDER, no key, no base URL: what a fresh install with Ollama running has.
  world = await chatWorldOf(await startServer(), llm, "olga");
}, 90_000);

afterAll(async () => {
  await world?.stop();
});

describe("with no provider configured and a local Ollama answering", () => {
  it("the agent talks to Ollama's OpenAI-compatible API without a key, and usage is recorded under ollama", async () => {
    const projectId = await createProject(world);
    const chat = await ChatClient.open(world, projectId);
    world.llm.enqueue(reply([text("Hello from "), text("a local model.")], { prompt: 321, completion: 12 }));
    chat.send({ type: "user_message", content: "Who answers?" });
    const done = await chat.completion();

    expect(done.metadata.status).toBe("complete");
    expect(chat.text(done.session_id!)).toBe("Hello from a local model.");
    const request = world.llm.requests.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.body.model).toBe("qwen2.5-coder:7b");
    expect(request.authorization).toBeUndefined();

    const usage = (await (await world.api(`/api/v1/tokens/usage/${done.session_id}`)).json()) as { data: { calls: Array<Record<string, unknown>> } };
    expect(usage.data.calls).toHaveLength(1);
    expect(usage.data.calls[0]).toMatchObject({ provider: "ollama", model: "qwen2.5-coder:7b", input_tokens: 321, output_tokens: 12 });
    chat.close();
  });

  it("models/all names Ollama as the provider and lists the models it serves", async () => {
    const res = await world.api("/api/v1/models/all");
    expect(res.status).toBe(200);
    const parsed = (await res.json()) as { data: Array<{ id: string; source: string; available: boolean }>; metadata: Record<string, string> };
    expect(parsed.metadata).toEqual({ provider: "ollama", default_model: "qwen2.5-coder:7b", live_list: "ok" });
    // Both are served, hence available; the price table knows the default model, the other comes from the live list.
    expect(parsed.data.find((m) => m.id === "qwen2.5-coder:7b")).toMatchObject({ source: "builtin", available: true });
    expect(parsed.data.find((m) => m.id === "llama3.2:3b")).toMatchObject({ source: "live", available: true });
  });
});
