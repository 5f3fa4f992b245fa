import { createHash } from "node:crypto";
import { liveModels, resolveProvider } from "@/lib/llm/providers";

/** How long a provider check's result stands: a key is asked at most once per ten minutes. */
const CHECK_TTL_MS = 10 * 60_000;
/** How long /health waits for a check that is not cached yet; it answers `checking` after that. */
const HEALTH_WAIT_MS = 2000;
const CHECK_TIMEOUT_MS = 10_000;

export interface ProviderCheck {
  /** `ok`: the provider listed its models with the configured key; `failed`: it did not; `checking`: not known yet. */
  status: "ok" | "failed" | "checking" | "not_configured";
  provider: string | null;
  checked_at: string | null;
  latency_ms?: number;
  error?: string;
}

const checks = new Map<string, { at: number; result: Promise<ProviderCheck> }>();

/**
 * The server's default provider, checked live with one cheap call (its model list), cached per key for ten
 * minutes. Never blocks longer than ~2 s: a check still running answers `checking` and finishes in the background.
 */
export async function serverProviderCheck(): Promise<ProviderCheck> {
  const resolution = await resolveProvider();
  if (!resolution.ok) return { status: "not_configured", provider: null, checked_at: null };
  const { config } = resolution;
  // The cache key stands for the key without holding it.
  const id = createHash("sha256")
    .update(JSON.stringify([config.provider, config.baseURL, config.apiKey ?? ""]))
    .digest("hex");
  let entry = checks.get(id);
  if (!entry || Date.now() - entry.at > CHECK_TTL_MS) {
    const started = performance.now();
    const result = liveModels(config, CHECK_TIMEOUT_MS).then((live): ProviderCheck => ({
      status: "ids" in live ? "ok" : "failed",
      provider: config.provider,
      checked_at: new Date().toISOString(),
      latency_ms: Math.round(performance.now() - started),
      ...("error" in live ? { error: live.error } : {}),
    }));
    entry = { at: Date.now(), result };
    checks.set(id, entry);
  }
  const pending: ProviderCheck = { status: "checking", provider: config.provider, checked_at: null };
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<ProviderCheck>((resolve) => (timer = setTimeout(() => resolve(pending), HEALTH_WAIT_MS)));
  try {
    return await Promise.race([entry.result, waited]);
  } finally {
    clearTimeout(timer);
  }
}
