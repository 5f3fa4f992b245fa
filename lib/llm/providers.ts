import { env, type Env } from "@/lib/env";

export type ProviderName = "openrouter" | "openai" | "anthropic" | "openai-compatible" | "ollama";

/** Where and with what the agent's LLM calls go. `apiKey` must never leave the server process. */
export interface ProviderConfig {
  provider: ProviderName;
  baseURL: string;
  defaultModel: string | undefined;
  apiKey: string | undefined;
}

export type ProviderResolution = { ok: true; config: ProviderConfig } | { ok: false; message: string };

export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";
export const OPENAI_BASE_URL = "https://api.openai.com/v1";
/** Anthropic's OpenAI-compatible endpoint (no @ai-sdk/anthropic here): Chat Completions with an Anthropic key. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
export const OLLAMA_BASE_URL = "http://127.0.0.1:11434/v1";

const defaultModels: Record<ProviderName, string | undefined> = {
  openrouter: "anthropic/claude-sonnet-4.5",
  openai: "gpt-4.1",
  anthropic: "claude-sonnet-4-5",
  "openai-compatible": undefined,
  ollama: "qwen2.5-coder:7b",
};

export const NOT_CONFIGURED_MESSAGE =
  "No LLM provider is configured. Add your own key in Settings → Models & keys (/settings#models); or, as the " +
  "server's administrator, set OPENROUTER_API_KEY (OpenRouter, the default), or OPENAI_API_KEY (OpenAI), or " +
  "ANTHROPIC_API_KEY (Anthropic), or OPENAI_BASE_URL (any OpenAI-compatible server such as LM Studio or vLLM), " +
  "optionally with LLM_PROVIDER and MODEL_NAME, then restart Slipway; or run Ollama on 127.0.0.1:11434.";

/** The model a provider uses when a message names none (undefined: the first of its live list). */
export const defaultModelOf = (provider: ProviderName): string | undefined => defaultModels[provider];

/** The server's (env) settings for one provider. */
export function configFor(provider: ProviderName, e: Env = env()): ProviderResolution {
  const model = e.MODEL_NAME ?? defaultModels[provider];
  const need = (key: string | undefined, name: string): ProviderResolution | undefined =>
    key ? undefined : { ok: false, message: `LLM_PROVIDER=${provider} needs ${name}. Set it in .env and restart Slipway.` };
  switch (provider) {
    case "openrouter":
      return (
        need(e.OPENROUTER_API_KEY, "OPENROUTER_API_KEY") ?? {
          ok: true,
          config: { provider, baseURL: OPENROUTER_BASE_URL, defaultModel: model, apiKey: e.OPENROUTER_API_KEY },
        }
      );
    case "openai":
      return (
        need(e.OPENAI_API_KEY, "OPENAI_API_KEY") ?? { ok: true, config: { provider, baseURL: OPENAI_BASE_URL, defaultModel: model, apiKey: e.OPENAI_API_KEY } }
      );
    case "anthropic":
      return (
        need(e.ANTHROPIC_API_KEY, "ANTHROPIC_API_KEY") ?? {
          ok: true,
          config: { provider, baseURL: ANTHROPIC_BASE_URL, defaultModel: model, apiKey: e.ANTHROPIC_API_KEY },
        }
      );
    case "openai-compatible":
      return (
        need(e.OPENAI_BASE_URL, "OPENAI_BASE_URL") ?? {
          ok: true,
          config: { provider, baseURL: e.OPENAI_BASE_URL!, defaultModel: model, apiKey: e.OPENAI_API_KEY },
        }
      );
    case "ollama":
      return { ok: true, config: { provider, baseURL: e.OPENAI_BASE_URL ?? OLLAMA_BASE_URL, defaultModel: model, apiKey: undefined } };
  }
}

let ollamaProbe: { at: number; up: boolean } | undefined;

async function ollamaAnswers(): Promise<boolean> {
  if (ollamaProbe && Date.now() - ollamaProbe.at < 30_000) return ollamaProbe.up;
  const up = await fetch(`${OLLAMA_BASE_URL}/models`, { signal: AbortSignal.timeout(1000) }).then(
    (r) => r.ok,
    () => false,
  );
  ollamaProbe = { at: Date.now(), up };
  return up;
}

/**
 * LLM_PROVIDER when set; otherwise the first configured of OpenRouter, an OpenAI-compatible base URL, OpenAI,
 * Anthropic; otherwise a local Ollama if it answers; otherwise an exact message of what to configure.
 */
export async function resolveProvider(e: Env = env()): Promise<ProviderResolution> {
  if (e.LLM_PROVIDER) return configFor(e.LLM_PROVIDER, e);
  if (e.OPENROUTER_API_KEY) return configFor("openrouter", e);
  if (e.OPENAI_BASE_URL) return configFor("openai-compatible", e);
  if (e.OPENAI_API_KEY) return configFor("openai", e);
  if (e.ANTHROPIC_API_KEY) return configFor("anthropic", e);
  if (await ollamaAnswers()) return configFor("ollama", e);
  return { ok: false, message: NOT_CONFIGURED_MESSAGE };
}

/**
 * Anthropic answers chat completions with the OpenAI-style bearer key, but its model list is its own API, which
 * wants `x-api-key` and `anthropic-version` (same response shape: `data[].id`).
 */
function modelListHeaders(config: ProviderConfig): Record<string, string> {
  if (!config.apiKey) return {};
  const bearer = { authorization: `Bearer ${config.apiKey}` };
  return config.provider === "anthropic" ? { ...bearer, "x-api-key": config.apiKey, "anthropic-version": "2023-06-01" } : bearer;
}

/** `GET {base}/models` with the provider's key headers. */
export function fetchModelList(config: ProviderConfig, timeoutMs: number): Promise<Response> {
  return fetch(`${config.baseURL.replace(/\/$/, "")}/models`, { headers: modelListHeaders(config), signal: AbortSignal.timeout(timeoutMs) });
}

/** One entry of a provider's `/models` list; OpenRouter's entries carry context, modalities, tools and prices. */
export interface LiveModel {
  id: string;
  context_length: number | null;
  vision: boolean | null;
  tools: boolean | null;
  /** USD per million tokens (OpenRouter's `pricing`, which is per token). */
  input_per_million: number | null;
  output_per_million: number | null;
}

interface RawLiveModel {
  id?: unknown;
  context_length?: unknown;
  architecture?: { input_modalities?: unknown };
  supported_parameters?: unknown;
  pricing?: { prompt?: unknown; completion?: unknown };
}

const perMillion = (v: unknown): number | null => {
  const n = typeof v === "string" || typeof v === "number" ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1e6 * 1e6) / 1e6 : null;
};

function toLiveModel(m: RawLiveModel & { id: string }): LiveModel {
  const modalities = m.architecture?.input_modalities;
  const params = m.supported_parameters;
  return {
    id: m.id,
    context_length: typeof m.context_length === "number" ? m.context_length : null,
    vision: Array.isArray(modalities) ? modalities.includes("image") : null,
    tools: Array.isArray(params) ? params.includes("tools") : null,
    input_per_million: perMillion(m.pricing?.prompt),
    output_per_million: perMillion(m.pricing?.completion),
  };
}

/** The models the provider lists at `/models`, or an error message (short timeout: this backs a UI list). */
export async function liveModelList(config: ProviderConfig, timeoutMs = 1500): Promise<{ models: LiveModel[] } | { error: string }> {
  try {
    const res = await fetchModelList(config, timeoutMs);
    if (!res.ok) return { error: `the provider answered ${res.status}` };
    const body = (await res.json()) as { data?: RawLiveModel[] };
    const data = Array.isArray(body.data) ? body.data : [];
    return { models: data.filter((m): m is RawLiveModel & { id: string } => typeof m?.id === "string").map(toLiveModel) };
  } catch (error) {
    return { error: error instanceof Error && error.name === "TimeoutError" ? "the provider did not answer in time" : "the provider is unreachable" };
  }
}

/** Model ids the provider lists at `/models`, or an error message. */
export async function liveModels(config: ProviderConfig, timeoutMs = 1500): Promise<{ ids: string[] } | { error: string }> {
  const live = await liveModelList(config, timeoutMs);
  return "models" in live ? { ids: live.models.map((m) => m.id) } : live;
}

/** The model to use: the message's choice, else MODEL_NAME/the provider default, else the first live model. */
export async function chooseModel(config: ProviderConfig, requested?: string): Promise<string | undefined> {
  if (requested) return requested;
  if (config.defaultModel) return config.defaultModel;
  const live = await liveModels(config);
  return "ids" in live ? live.ids[0] : undefined;
}
