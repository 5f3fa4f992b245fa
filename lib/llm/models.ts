import { modelPrices } from "./prices";
import { liveModels, resolveProvider } from "./providers";

export interface ModelListing {
  id: string;
  name: string;
  provider: string;
  input_per_million: number | null;
  output_per_million: number | null;
  cached_input_per_million: number | null;
  source: "builtin" | "live";
  available: boolean;
  default: boolean;
}

/**
 * The built-in price table, merged with the configured provider's live `/models` list when it answers
 * (short timeout). Live models without a table entry have null prices.
 */
export async function listModels(): Promise<{ models: ModelListing[]; provider: string | null; default_model: string | null; live: "ok" | string }> {
  const resolution = await resolveProvider();
  const config = resolution.ok ? resolution.config : null;
  const live = config ? await liveModels(config) : { error: "no provider is configured" };
  const liveIds = new Set("ids" in live ? live.ids : []);
  const tableProvider = config?.provider === "openai-compatible" ? null : config?.provider;
  const defaultModel = config?.defaultModel ?? ("ids" in live ? live.ids[0] : undefined) ?? null;
  const models: ModelListing[] = modelPrices.map((p) => ({
    id: p.id,
    name: p.name,
    provider: p.provider,
    input_per_million: p.input,
    output_per_million: p.output,
    cached_input_per_million: p.cached_input,
    source: "builtin",
    available: liveIds.has(p.id) || (liveIds.size === 0 && p.provider === tableProvider),
    default: p.id === defaultModel,
  }));
  const known = new Set(modelPrices.map((p) => p.id));
  for (const id of liveIds) {
    if (known.has(id)) continue;
    models.push({
      id,
      name: id,
      provider: config!.provider,
      input_per_million: null,
      output_per_million: null,
      cached_input_per_million: null,
      source: "live",
      available: true,
      default: id === defaultModel,
    });
  }
  return { models, provider: config?.provider ?? null, default_model: defaultModel, live: "ids" in live ? "ok" : live.error };
}
