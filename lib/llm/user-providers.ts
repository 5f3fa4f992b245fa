import { open, seal, SealError } from "@/lib/crypto/secret-box";
import { env, type Env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";
import { getDb } from "@/prisma-free-db/client";
import type { KeySource } from "@/prisma-free-db/queries/token-usage";
import { deleteUserProvider, getUserProvider, listUserProviders, upsertUserProvider, type UserProviderRow } from "@/prisma-free-db/queries/user-providers";
import { ANTHROPIC_BASE_URL, configFor, defaultModelOf, OPENAI_BASE_URL, OPENROUTER_BASE_URL, type ProviderConfig } from "./providers";
import { singleton } from "@/lib/shared/singleton";

/** The providers a user can configure in Settings → Models & keys (a local Ollama is an `openai-compatible` one). */
export const USER_PROVIDERS = ["openrouter", "openai", "anthropic", "openai-compatible"] as const;
export type UserProviderName = (typeof USER_PROVIDERS)[number];

export const isUserProvider = (name: string): name is UserProviderName => (USER_PROVIDERS as readonly string[]).includes(name);

const FIXED_BASE_URLS: Record<Exclude<UserProviderName, "openai-compatible">, string> = {
  openrouter: OPENROUTER_BASE_URL,
  openai: OPENAI_BASE_URL,
  anthropic: ANTHROPIC_BASE_URL,
};

const PURPOSE = "llm-provider-key";
const sealContext = (userId: string, provider: string) => `${userId}:${provider}`;
const providersLog = log.child({ module: "user-providers" });

/** A user's key is shown by its last 4 characters only, and only when that leaves most of it hidden. */
export const keyHint = (key: string): string | null => (key.length >= 12 ? key.slice(-4) : null);

/** What the API shows about one provider for the caller: never the key. */
export interface ProviderView {
  provider: UserProviderName;
  configured: boolean;
  /** `user`: the caller's own settings; `server`: the server's env; null: neither. */
  source: KeySource | null;
  key_hint: string | null;
  has_key: boolean;
  base_url: string | null;
  last_tested_at: string | null;
  updated_at: string | null;
}

/**
 * The server's env settings for a provider, if it has them. The env's OPENAI_API_KEY is the key of its
 * OPENAI_BASE_URL server when that is set, so it stands for OpenAI only without one.
 */
export function serverConfigOf(provider: UserProviderName, e: Env = env()): ProviderConfig | undefined {
  if (provider === "openai" && e.OPENAI_BASE_URL) return undefined;
  if (provider === "openai-compatible" && e.LLM_PROVIDER === "ollama") return undefined;
  const r = configFor(provider, e);
  return r.ok ? r.config : undefined;
}

function view(provider: UserProviderName, row: UserProviderRow | undefined): ProviderView {
  if (row) {
    return {
      provider,
      configured: true,
      source: "user",
      key_hint: row.key_hint,
      has_key: row.api_key_sealed !== null,
      base_url: row.base_url ?? FIXED_BASE_URLS[provider as keyof typeof FIXED_BASE_URLS] ?? null,
      last_tested_at: row.last_tested_at,
      updated_at: row.updated_at,
    };
  }
  const server = serverConfigOf(provider);
  // The server's own OpenAI-compatible address can be an internal one: it is not shown.
  const baseUrl = server && provider !== "openai-compatible" ? server.baseURL : null;
  return {
    provider,
    configured: Boolean(server),
    source: server ? "server" : null,
    key_hint: null,
    has_key: Boolean(server?.apiKey),
    base_url: baseUrl,
    last_tested_at: null,
    updated_at: null,
  };
}

export async function listProviderViews(userId: string): Promise<ProviderView[]> {
  const rows = await listUserProviders(await getDb(), { userId });
  return USER_PROVIDERS.map((p) =>
    view(
      p,
      rows.find((r) => r.provider === p),
    ),
  );
}

export async function providerView(userId: string, provider: UserProviderName): Promise<ProviderView> {
  return view(provider, await getUserProvider(await getDb(), { userId, provider }));
}

const fieldError = (field: string, message: string) => new ApiError("bad_request", message, { fields: [{ path: `body.${field}`, message }] });

/**
 * Stores the caller's settings for a provider. `api_key` omitted keeps the stored key, null removes it (a local
 * server may need none); `base_url` is for `openai-compatible` only, which requires one. Everything is checked
 * before anything is written.
 */
export async function saveUserProvider(
  userId: string,
  provider: UserProviderName,
  body: { api_key?: string | null; base_url?: string | null },
): Promise<ProviderView> {
  const db = await getDb();
  const existing = await getUserProvider(db, { userId, provider });
  let baseUrl: string | null = null;
  if (provider === "openai-compatible") {
    baseUrl = body.base_url === undefined ? (existing?.base_url ?? null) : body.base_url;
    if (!baseUrl) throw fieldError("base_url", "openai-compatible needs the server's base URL (e.g. http://127.0.0.1:11434/v1 for Ollama)");
  } else if (body.base_url) {
    throw fieldError("base_url", `${provider} always uses ${FIXED_BASE_URLS[provider]}; a base URL is for openai-compatible only`);
  }
  let sealed = existing?.api_key_sealed ?? null;
  let hint = existing?.key_hint ?? null;
  if (body.api_key === null) {
    sealed = null;
    hint = null;
  } else if (body.api_key !== undefined) {
    sealed = seal(body.api_key, { purpose: PURPOSE, context: sealContext(userId, provider) });
    hint = keyHint(body.api_key);
  }
  if (!sealed && provider !== "openai-compatible") throw fieldError("api_key", `${provider} needs an API key`);
  await upsertUserProvider(db, { userId, provider, apiKeySealed: sealed, keyHint: hint, baseUrl });
  invalidateUserProviders(userId);
  return providerView(userId, provider);
}

export async function removeUserProvider(userId: string, provider: UserProviderName): Promise<ProviderView> {
  const db = await getDb();
  if (!(await getUserProvider(db, { userId, provider }))) throw new ApiError("not_found", `You have no settings for ${provider}`);
  await deleteUserProvider(db, { userId, provider });
  invalidateUserProviders(userId);
  return providerView(userId, provider);
}

/** A user's decrypted provider settings, most recently updated first. */
export interface UserProviderConfig extends ProviderConfig {
  provider: UserProviderName;
}

function toConfig(userId: string, row: UserProviderRow): UserProviderConfig | undefined {
  const provider = row.provider as UserProviderName;
  try {
    const apiKey = row.api_key_sealed ? open(row.api_key_sealed, { purpose: PURPOSE, context: sealContext(userId, provider) }) : undefined;
    const baseURL = row.base_url ?? FIXED_BASE_URLS[provider as keyof typeof FIXED_BASE_URLS];
    return { provider, baseURL, apiKey, defaultModel: defaultModelOf(provider) };
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    // INTEGRATIONS_KEY (or AUTH_SECRET) changed: the key cannot be read; the user enters it again.
    providersLog.warn("a stored provider key cannot be decrypted", { user_id: userId, provider });
    return undefined;
  }
}

// Next evaluates this module twice in one process (server.ts's chat turns and the route bundles' PUT/DELETE):
// one cache for both, so an invalidation reaches both. Promises, so a read started before a write cannot put stale
// settings back after the write invalidated them.
const cache = singleton("userProviderConfigs", () => new Map<string, Promise<UserProviderConfig[]>>());

// The live models GET /models/all last listed for each user, by provider (the route bundles write it, the chat
// turns of server.ts read it). Cleared with the user's settings.
const listed = singleton("userListedModels", () => new Map<string, Map<string, UserProviderName>>());

export function rememberListedModels(userId: string, models: Array<{ id: string; provider: string }>): void {
  listed.set(userId, new Map(models.filter((m) => isUserProvider(m.provider)).map((m) => [m.id, m.provider as UserProviderName])));
}

export const listedProviderOf = (userId: string, model: string): UserProviderName | undefined => listed.get(userId)?.get(model);

export function invalidateUserProviders(userId: string): void {
  cache.delete(userId);
  listed.delete(userId);
}

/** The user's usable provider settings (decrypted once, then from memory until they change). */
export function userProviderConfigs(userId: string): Promise<UserProviderConfig[]> {
  let entry = cache.get(userId);
  if (!entry) {
    entry = getDb()
      .then((db) => listUserProviders(db, { userId }))
      .then((rows) => rows.map((r) => toConfig(userId, r)).filter((c): c is UserProviderConfig => c !== undefined));
    entry.catch(() => cache.delete(userId));
    cache.set(userId, entry);
  }
  return entry;
}

/** The user's settings for one provider, else the server's, with whose they are. */
export async function effectiveConfig(userId: string, provider: UserProviderName): Promise<{ config: ProviderConfig; keySource: KeySource } | undefined> {
  const mine = (await userProviderConfigs(userId)).find((c) => c.provider === provider);
  if (mine) return { config: mine, keySource: "user" };
  const server = serverConfigOf(provider);
  return server && { config: server, keySource: "server" };
}
