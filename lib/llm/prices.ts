/**
 * Built-in model table: prices, USD per million tokens, context windows and vision/tools support (list prices of the providers' public pages, late 2025).
 * `cached_input` is the price of prompt tokens served from the provider's cache. Edit here when prices change;
 * a model missing from the table is still usable and is recorded at cost 0 with `priced: false`.
 */
export interface ModelPrice {
  id: string;
  provider: "openrouter" | "openai" | "anthropic" | "ollama";
  name: string;
  input: number;
  output: number;
  cached_input: number;
  /** Context window in tokens. */
  context: number;
  /** Takes image parts in user messages. */
  vision: boolean;
  /** Takes tool (function) definitions: the agent needs them. */
  tools: boolean;
}

export const modelPrices: ModelPrice[] = [
  { id: "gpt-5", provider: "openai", name: "GPT-5", input: 1.25, output: 10, cached_input: 0.125, context: 400000, vision: true, tools: true },
  { id: "gpt-5-mini", provider: "openai", name: "GPT-5 mini", input: 0.25, output: 2, cached_input: 0.025, context: 400000, vision: true, tools: true },
  { id: "gpt-4.1", provider: "openai", name: "GPT-4.1", input: 2, output: 8, cached_input: 0.5, context: 1047576, vision: true, tools: true },
  { id: "gpt-4.1-mini", provider: "openai", name: "GPT-4.1 mini", input: 0.4, output: 1.6, cached_input: 0.1, context: 1047576, vision: true, tools: true },
  { id: "gpt-4.1-nano", provider: "openai", name: "GPT-4.1 nano", input: 0.1, output: 0.4, cached_input: 0.025, context: 1047576, vision: true, tools: true },
  { id: "gpt-4o", provider: "openai", name: "GPT-4o", input: 2.5, output: 10, cached_input: 1.25, context: 128000, vision: true, tools: true },
  { id: "gpt-4o-mini", provider: "openai", name: "GPT-4o mini", input: 0.15, output: 0.6, cached_input: 0.075, context: 128000, vision: true, tools: true },
  { id: "o4-mini", provider: "openai", name: "o4-mini", input: 1.1, output: 4.4, cached_input: 0.275, context: 200000, vision: true, tools: true },
  {
    id: "claude-sonnet-4-5",
    provider: "anthropic",
    name: "Claude Sonnet 4.5",
    input: 3,
    output: 15,
    cached_input: 0.3,
    context: 200000,
    vision: true,
    tools: true,
  },
  {
    id: "claude-opus-4-1",
    provider: "anthropic",
    name: "Claude Opus 4.1",
    input: 15,
    output: 75,
    cached_input: 1.5,
    context: 200000,
    vision: true,
    tools: true,
  },
  {
    id: "claude-haiku-4-5",
    provider: "anthropic",
    name: "Claude Haiku 4.5",
    input: 1,
    output: 5,
    cached_input: 0.1,
    context: 200000,
    vision: true,
    tools: true,
  },
  {
    id: "anthropic/claude-sonnet-4.5",
    provider: "openrouter",
    name: "Claude Sonnet 4.5 (OpenRouter)",
    input: 3,
    output: 15,
    cached_input: 0.3,
    context: 1000000,
    vision: true,
    tools: true,
  },
  {
    id: "anthropic/claude-haiku-4.5",
    provider: "openrouter",
    name: "Claude Haiku 4.5 (OpenRouter)",
    input: 1,
    output: 5,
    cached_input: 0.1,
    context: 200000,
    vision: true,
    tools: true,
  },
  {
    id: "openai/gpt-4.1",
    provider: "openrouter",
    name: "GPT-4.1 (OpenRouter)",
    input: 2,
    output: 8,
    cached_input: 0.5,
    context: 1047576,
    vision: true,
    tools: true,
  },
  {
    id: "openai/gpt-4o-mini",
    provider: "openrouter",
    name: "GPT-4o mini (OpenRouter)",
    input: 0.15,
    output: 0.6,
    cached_input: 0.075,
    context: 128000,
    vision: true,
    tools: true,
  },
  {
    id: "google/gemini-2.5-pro",
    provider: "openrouter",
    name: "Gemini 2.5 Pro (OpenRouter)",
    input: 1.25,
    output: 10,
    cached_input: 0.31,
    context: 1048576,
    vision: true,
    tools: true,
  },
  {
    id: "google/gemini-2.5-flash",
    provider: "openrouter",
    name: "Gemini 2.5 Flash (OpenRouter)",
    input: 0.3,
    output: 2.5,
    cached_input: 0.075,
    context: 1048576,
    vision: true,
    tools: true,
  },
  {
    id: "deepseek/deepseek-chat-v3.1",
    provider: "openrouter",
    name: "DeepSeek V3.1 (OpenRouter)",
    input: 0.27,
    output: 1.1,
    cached_input: 0.27,
    context: 163840,
    vision: false,
    tools: true,
  },
  {
    id: "qwen/qwen3-coder",
    provider: "openrouter",
    name: "Qwen3 Coder (OpenRouter)",
    input: 0.4,
    output: 1.6,
    cached_input: 0.4,
    context: 262144,
    vision: false,
    tools: true,
  },
  {
    id: "qwen2.5-coder:7b",
    provider: "ollama",
    name: "Qwen2.5 Coder 7B (local)",
    input: 0,
    output: 0,
    cached_input: 0,
    context: 32768,
    vision: false,
    tools: true,
  },
  { id: "llama3.1:8b", provider: "ollama", name: "Llama 3.1 8B (local)", input: 0, output: 0, cached_input: 0, context: 131072, vision: false, tools: true },
];

/** The price of `model`, matching an OpenRouter-style `vendor/model` id by its last segment as a fallback. */
export function priceOf(model: string): ModelPrice | undefined {
  const exact = modelPrices.find((p) => p.id === model);
  if (exact) return exact;
  const bare = model.includes("/") ? model.slice(model.lastIndexOf("/") + 1) : model;
  return modelPrices.find((p) => p.id === bare) ?? modelPrices.find((p) => p.id.endsWith(`/${bare}`));
}

/** Cost in USD of one call; cached prompt tokens are billed at the cached price. */
export function costOf(model: string, usage: { input_tokens: number; output_tokens: number; cached_tokens: number }): { cost_usd: number; priced: boolean } {
  const price = priceOf(model);
  if (!price) return { cost_usd: 0, priced: false };
  const uncached = Math.max(0, usage.input_tokens - usage.cached_tokens);
  const cost = (uncached * price.input + usage.cached_tokens * price.cached_input + usage.output_tokens * price.output) / 1_000_000;
  return { cost_usd: Math.round(cost * 1e10) / 1e10, priced: true };
}

export interface ModelCapabilities {
  context: number | null;
  vision: boolean | null;
  tools: boolean | null;
}

// Families known to take images, for models the table does not list (live ids of OpenRouter, Ollama, vLLM…).
const VISION_FAMILIES = [
  /gpt-4o/,
  /gpt-4\.1/,
  /gpt-5/,
  /\bo[34]\b|o4-mini/,
  /claude-(3|sonnet|opus|haiku)/,
  /gemini/,
  /llava/,
  /-vl\b|-vl-|vision/,
  /pixtral/,
  /llama-?3\.2.*vision/,
  /gemma-?3/,
];

/**
 * What a model can do: the table's entry, else, for other ids, a vision guess from well-known families
 * (`null` where nothing is known). A provider's own listing (OpenRouter's `architecture.input_modalities`)
 * outranks this where the caller has it.
 */
export function capabilitiesOf(model: string): ModelCapabilities {
  const known = priceOf(model);
  if (known) return { context: known.context, vision: known.vision, tools: known.tools };
  const id = model.toLowerCase();
  return { context: null, vision: VISION_FAMILIES.some((re) => re.test(id)) ? true : null, tools: null };
}
