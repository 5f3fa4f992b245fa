import type { KeySource } from "@/prisma-free-db/queries/token-usage";
import { capabilitiesOf, modelPrices } from "./prices";
import { liveModelList, resolveProvider, type LiveModel, type ProviderConfig } from "./providers";
import { resolveProviderFor } from "./resolve-for-user";
import { rememberListedModels, userProviderConfigs } from "./user-providers";

export interface ModelListing {
  id: string;
  name: string;
  /** The provider the model belongs to (the built-in table's, or the one whose live list names it). */
  provider: string;
  input_per_million: number | null;
  output_per_million: number | null;
  cached_input_per_million: number | null;
  context_length: number | null;
  vision: boolean | null;
  tools: boolean | null;
  source: "builtin" | "live";
  available: boolean;
  /** Whose key a turn with this model would use (null: not available to the caller). */
  key_source: KeySource | null;
  default: boolean;
}

interface Usable {
  config: ProviderConfig;
  keySource: KeySource;
  live: { models: LiveModel[] } | { error: string };
}

/** The caller's own providers, then the server's default provider unless the caller has settings for it. */
async function usableProviders(userId: string): Promise<Usable[]> {
  const mine = await userProviderConfigs(userId);
  const server = await resolveProvider();
  const sources: Array<Omit<Usable, "live">> = mine.map((config) => ({ config, keySource: "user" as const }));
  if (server.ok && !mine.some((c) => c.provider === server.config.provider)) sources.push({ config: server.config, keySource: "server" });
  return Promise.all(sources.map(async (s) => ({ ...s, live: await liveModelList(s.config) })));
}

const tableProviderOf = (provider: string) => (provider === "openai-compatible" ? "ollama" : provider);

/**
 * For one caller: the built-in table merged with the live `/models` lists of the providers they can use (short
 * timeout each, in parallel). Live models without a table entry carry what the provider says of them (OpenRouter
 * gives context, modalities, tools and prices), else what `capabilitiesOf` knows.
 */
export async function listModels(
  userId: string,
): Promise<{ models: ModelListing[]; provider: string | null; default_model: string | null; live: "ok" | string }> {
  const [usable, resolution] = await Promise.all([usableProviders(userId), resolveProviderFor(userId)]);
  const primary = resolution.ok
    ? usable.find((u) => u.config === resolution.config || (u.config.provider === resolution.config.provider && u.keySource === resolution.keySource))
    : undefined;
  const primaryLive = primary?.live;
  const defaultModel = primary?.config.defaultModel ?? (primaryLive && "models" in primaryLive ? primaryLive.models[0]?.id : undefined) ?? null;

  const serving = (id: string, provider: string): Usable | undefined =>
    usable.find((u) => "models" in u.live && u.live.models.some((m) => m.id === id)) ??
    usable.find((u) => tableProviderOf(u.config.provider) === provider && !("models" in u.live && u.live.models.length > 0));

  const models: ModelListing[] = modelPrices.map((p) => {
    const via = serving(p.id, p.provider);
    return {
      id: p.id,
      name: p.name,
      provider: p.provider,
      input_per_million: p.input,
      output_per_million: p.output,
      cached_input_per_million: p.cached_input,
      context_length: p.context,
      vision: p.vision,
      tools: p.tools,
      source: "builtin",
      available: Boolean(via),
      key_source: via?.keySource ?? null,
      default: p.id === defaultModel,
    };
  });
  const listed = new Set(modelPrices.map((p) => p.id));
  for (const u of usable) {
    if (!("models" in u.live)) continue;
    for (const m of u.live.models) {
      if (listed.has(m.id)) continue;
      listed.add(m.id);
      const guess = capabilitiesOf(m.id);
      models.push({
        id: m.id,
        name: m.id,
        provider: u.config.provider,
        input_per_million: m.input_per_million,
        output_per_million: m.output_per_million,
        cached_input_per_million: null,
        context_length: m.context_length ?? guess.context,
        vision: m.vision ?? guess.vision,
        tools: m.tools ?? guess.tools,
        source: "live",
        available: true,
        key_source: u.keySource,
        default: m.id === defaultModel,
      });
    }
  }
  rememberListedModels(
    userId,
    models.filter((m) => m.source === "live"),
  );
  return {
    models,
    provider: resolution.ok ? resolution.config.provider : null,
    default_model: defaultModel,
    live: primaryLive ? ("models" in primaryLive ? "ok" : primaryLive.error) : "no provider is configured",
  };
}
