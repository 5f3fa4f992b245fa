import type { KeySource } from "@/prisma-free-db/queries/token-usage";
import { modelPrices } from "./prices";
import { resolveProvider, type ProviderConfig } from "./providers";
import { listedProviderOf, userProviderConfigs, type UserProviderName } from "./user-providers";

export type UserResolution = { ok: true; config: ProviderConfig; keySource: KeySource } | { ok: false; message: string };

/**
 * The provider a model id belongs to: the built-in table's entry (its local models are served by an
 * OpenAI-compatible server such as Ollama), else the provider whose live list named it when the user last
 * listed their models, else OpenRouter for a `vendor/model` id, else unknown.
 */
export function providerOfModel(model: string, userId?: string): UserProviderName | undefined {
  const entry = modelPrices.find((p) => p.id === model);
  if (entry) return entry.provider === "ollama" ? "openai-compatible" : entry.provider;
  const live = userId ? listedProviderOf(userId, model) : undefined;
  if (live) return live;
  return model.includes("/") ? "openrouter" : undefined;
}

/**
 * Where a user's turn goes. A provider the user configured wins over the server's env:
 * 1. the user's provider that the requested model belongs to (providerOfModel: the built-in table, the live lists of
 *    the user's last GET /models/all, `vendor/model` ids: OpenRouter);
 * 2. the server's provider, when the model belongs to it and the user has no settings for it;
 * 3. the user's most recently updated provider (a model of unknown provider, or no model named);
 * 4. without user settings, the server's provider (resolveProvider).
 * A user's key serves that user's turns only.
 */
export async function resolveProviderFor(userId: string, requestedModel?: string): Promise<UserResolution> {
  const mine = await userProviderConfigs(userId);
  if (mine.length === 0) return withSource(await resolveProvider(), "server");
  const wanted = requestedModel ? providerOfModel(requestedModel, userId) : undefined;
  const match = wanted && mine.find((c) => c.provider === wanted);
  if (match) return { ok: true, config: match, keySource: "user" };
  if (wanted) {
    const server = await resolveProvider();
    if (server.ok && server.config.provider === wanted) return { ...server, keySource: "server" };
  }
  return { ok: true, config: mine[0]!, keySource: "user" };
}

function withSource(r: Awaited<ReturnType<typeof resolveProvider>>, keySource: KeySource): UserResolution {
  return r.ok ? { ...r, keySource } : r;
}
