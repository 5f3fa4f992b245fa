import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { costOf, priceOf } from "@/lib/llm/prices";
import { ANTHROPIC_BASE_URL, liveModels, NOT_CONFIGURED_MESSAGE, OPENROUTER_BASE_URL, resolveProvider } from "@/lib/llm/providers";
import { findTruncationPlaceholder } from "@/lib/agent/truncation";
import { providerOfModel } from "@/lib/llm/resolve-for-user";
import { invalidateUserProviders, rememberListedModels } from "@/lib/llm/user-providers";
import { applyFrame, initialChat, localUserMessage } from "@/lib/client/chat-state";

const base = { AUTH_SECRET: "x".repeat(32) };
const resolve = (vars: Record<string, string>) => resolveProvider(parseEnv({ ...base, ...vars }));

describe("provider selection", () => {
  it("OpenRouter is the default when its key is set", async () => {
    const r = await resolve({ OPENROUTER_API_KEY: "or-key", OPENAI_API_KEY: "oa-key" });
    expect(r).toEqual({
      ok: true,
      config: { provider: "openrouter", baseURL: OPENROUTER_BASE_URL, defaultModel: "anthropic/claude-sonnet-4.5", apiKey: "or-key" },
    });
  });

  it("LLM_PROVIDER picks the provider; a missing key says exactly which variable to set", async () => {
    expect(await resolve({ LLM_PROVIDER: "anthropic", ANTHROPIC_API_KEY: "an-key", MODEL_NAME: "claude-haiku-4-5" })).toEqual({
      ok: true,
      config: { provider: "anthropic", baseURL: ANTHROPIC_BASE_URL, defaultModel: "claude-haiku-4-5", apiKey: "an-key" },
    });
    expect(await resolve({ LLM_PROVIDER: "openai" })).toEqual({
      ok: false,
      message: "LLM_PROVIDER=openai needs OPENAI_API_KEY. Set it in .env and restart Slipway.",
    });
    expect(await resolve({ LLM_PROVIDER: "openai-compatible" })).toMatchObject({ ok: false, message: expect.stringContaining("OPENAI_BASE_URL") });
  });

  it("OPENAI_BASE_URL is accepted with the providers that send requests to it, refused with those that would ignore it", async () => {
    const url = "http://127.0.0.1:1234/v1";
    expect(await resolve({ LLM_PROVIDER: "ollama", OPENAI_BASE_URL: url })).toMatchObject({ ok: true, config: { provider: "ollama", baseURL: url } });
    expect(await resolve({ LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: url })).toMatchObject({
      ok: true,
      config: { provider: "openai-compatible", baseURL: url },
    });
    for (const provider of ["openai", "openrouter", "anthropic"]) {
      expect(() => parseEnv({ ...base, LLM_PROVIDER: provider, OPENAI_BASE_URL: url }), provider).toThrow(
        /OPENAI_BASE_URL: .*use LLM_PROVIDER=openai-compatible/,
      );
    }
  });

  it("an OpenAI-compatible base URL is used without a key", async () => {
    const r = await resolve({ OPENAI_BASE_URL: "http://127.0.0.1:1234/v1", MODEL_NAME: "local" });
    expect(r).toEqual({ ok: true, config: { provider: "openai-compatible", baseURL: "http://127.0.0.1:1234/v1", defaultModel: "local", apiKey: undefined } });
  });

  it("with nothing configured and no Ollama answering, the message names every option", async () => {
    // Nothing listens on 127.0.0.1:11434 on the test machines.
    expect(await resolve({})).toEqual({ ok: false, message: NOT_CONFIGURED_MESSAGE });
    for (const v of ["OPENROUTER_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "127.0.0.1:11434"])
      expect(NOT_CONFIGURED_MESSAGE).toContain(v);
    // A user's own key comes first: it needs no restart and no access to the server.
    expect(NOT_CONFIGURED_MESSAGE.indexOf("Settings → Models & keys")).toBeGreaterThan(0);
    expect(NOT_CONFIGURED_MESSAGE.indexOf("Settings → Models & keys")).toBeLessThan(NOT_CONFIGURED_MESSAGE.indexOf("OPENROUTER_API_KEY"));
  });

  it("a model id names its provider: the built-in table's, OpenRouter for vendor/model ids, else none", () => {
    expect(providerOfModel("gpt-4.1")).toBe("openai");
    expect(providerOfModel("claude-haiku-4-5")).toBe("anthropic");
    expect(providerOfModel("anthropic/claude-sonnet-4.5")).toBe("openrouter");
    expect(providerOfModel("meta-llama/llama-3.3-70b-instruct")).toBe("openrouter");
    expect(providerOfModel("qwen2.5-coder:7b")).toBe("openai-compatible");
    expect(providerOfModel("my-local-model")).toBeUndefined();
    // A model the user's own server listed (GET /models/all) stays with that server, vendor/ prefix or not.
    rememberListedModels("user-a", [
      { id: "lab/own-model", provider: "openai-compatible" },
      { id: "my-local-model", provider: "openai-compatible" },
    ]);
    expect(providerOfModel("lab/own-model", "user-a")).toBe("openai-compatible");
    expect(providerOfModel("my-local-model", "user-a")).toBe("openai-compatible");
    expect(providerOfModel("gpt-4.1", "user-a")).toBe("openai");
    expect(providerOfModel("lab/own-model", "user-b")).toBe("openrouter");
    invalidateUserProviders("user-a");
    expect(providerOfModel("lab/own-model", "user-a")).toBe("openrouter");
  });

  it("the chat keeps the code of a refusal, so llm_not_configured can link to Settings", () => {
    const sending = { ...initialChat, messages: [localUserMessage("hi")] };
    const state = applyFrame(sending, {
      type: "error",
      content: NOT_CONFIGURED_MESSAGE,
      session_id: null,
      project_id: "7a1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f",
      seq: null,
      metadata: { code: "llm_not_configured" },
    });
    expect(state).toMatchObject({ notice: NOT_CONFIGURED_MESSAGE, noticeCode: "llm_not_configured" });
    expect(state.messages[0]).toMatchObject({ status: "failed", error: NOT_CONFIGURED_MESSAGE });
  });
});

describe("live model lists", () => {
  it("Anthropic's model list gets its own key header and version (a bearer key alone is refused there)", async () => {
    // As Anthropic's GET /v1/models: 401 without x-api-key, 400 without anthropic-version; its own model shape.
    const server = createServer((req, res) => {
      const status = req.headers["x-api-key"] !== "an-key" ? 401 : !req.headers["anthropic-version"] ? 400 : 200;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          status === 200
            ? { data: [{ type: "model", id: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" }], has_more: false }
            : { type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      expect(await liveModels({ provider: "anthropic", baseURL, defaultModel: undefined, apiKey: "an-key" })).toEqual({ ids: ["claude-sonnet-4-5"] });
      // The same server refuses what an OpenAI-compatible provider sends: the bearer key alone.
      expect(await liveModels({ provider: "openai-compatible", baseURL, defaultModel: undefined, apiKey: "an-key" })).toEqual({
        error: "the provider answered 401",
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("prices", () => {
  it("prices by model id, falling back from vendor/model ids; unknown models cost 0 and are flagged", () => {
    expect(priceOf("openai/gpt-4.1-mini")?.id).toBe("gpt-4.1-mini");
    expect(costOf("gpt-4o", { input_tokens: 2_000_000, output_tokens: 1_000_000, cached_tokens: 1_000_000 })).toEqual({
      cost_usd: 2.5 + 1.25 + 10,
      priced: true,
    });
    expect(costOf("mystery-model", { input_tokens: 5, output_tokens: 5, cached_tokens: 0 })).toEqual({ cost_usd: 0, priced: false });
  });
});

describe("truncated-write detector", () => {
  it("flags placeholder comments and leaves real code alone", () => {
    for (const line of [
      "// ... rest of the code unchanged",
      "/* existing code */",
      "# rest of the file remains the same",
      "{/* ... existing content ... */}",
      "<!-- rest of the component -->",
      "  // ...existing code...",
    ]) {
      expect(findTruncationPlaceholder(`a\n${line}\nb`), line).not.toBeNull();
    }
    for (const ok of [
      "const rest = [...items];",
      "// Keep the rest of the list sorted by date",
      "console.log('existing code path')",
      "// unchanged since v1: see docs",
    ]) {
      expect(findTruncationPlaceholder(ok), ok).toBeNull();
    }
  });
});
