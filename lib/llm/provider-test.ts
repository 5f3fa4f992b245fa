import { ApiError } from "@/lib/errors";
import { getDb } from "@/prisma-free-db/client";
import type { KeySource } from "@/prisma-free-db/queries/token-usage";
import { markUserProviderTested } from "@/prisma-free-db/queries/user-providers";
import { fetchModelList, type ProviderConfig } from "./providers";
import { effectiveConfig, type UserProviderName } from "./user-providers";

export const TEST_TIMEOUT_MS = 10_000;

export interface ProviderTestResult {
  ok: boolean;
  source: KeySource;
  latency_ms: number;
  /** Model ids the provider listed (empty when the test failed). */
  models: string[];
  /** The provider's own explanation when it refused, or why it could not be reached. */
  error?: string;
}

/** A provider's message as the user may see it: one line, at most 300 characters, the key (or anything key-shaped) removed. */
function quotable(message: string, apiKey: string | undefined): string {
  let clean = apiKey && apiKey.length >= 4 ? message.split(apiKey).join("[key removed]") : message;
  clean = clean
    .replace(/\b(sk|pk|rk|or|key)[-_][A-Za-z0-9_*.-]{6,}/gi, "[key removed]")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

/**
 * The error text of a refusal: OpenAI/OpenRouter's and Anthropic's `error.message`, else `message`/`detail`. Only
 * an API error body is quoted: any other page the base URL leads to (it can be any address) is not echoed back.
 */
function refusalText(raw: string, status: number): string {
  try {
    const body = JSON.parse(raw) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = body.error as { message?: unknown } | string | undefined;
    const text =
      typeof error === "string"
        ? error
        : typeof error?.message === "string"
          ? error.message
          : typeof body.message === "string"
            ? body.message
            : typeof body.detail === "string"
              ? body.detail
              : undefined;
    if (text) return `${status}: ${text}`;
  } catch {
    /* not JSON */
  }
  return `the server answered ${status} without an API error message (is this the API's base URL, e.g. ending in /v1?)`;
}

function unreachable(error: unknown, origin: string): string {
  if (error instanceof Error && error.name === "TimeoutError") return `${origin} did not answer within ${TEST_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code === "ECONNREFUSED") return `Could not connect to ${origin}: connection refused (is the server running?)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `Could not connect to ${origin}: host not found`;
  return `Could not reach ${origin}${code ? ` (${code})` : ""}`;
}

/** One `GET {base}/models` with the given settings. */
export async function probeProvider(config: ProviderConfig): Promise<Omit<ProviderTestResult, "source">> {
  const origin = new URL(config.baseURL).origin;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetchModelList(config, TEST_TIMEOUT_MS);
    const raw = await res.text();
    if (!res.ok) return { ok: false, latency_ms: elapsed(), models: [], error: quotable(refusalText(raw, res.status), config.apiKey) };
    const data = (JSON.parse(raw) as { data?: unknown }).data;
    if (!Array.isArray(data)) return { ok: false, latency_ms: elapsed(), models: [], error: `${origin} answered, but not with a model list` };
    const models = data.map((m: { id?: unknown }) => m?.id).filter((id): id is string => typeof id === "string");
    return { ok: true, latency_ms: elapsed(), models };
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, latency_ms: elapsed(), models: [], error: `${origin} answered, but not with JSON` };
    return { ok: false, latency_ms: elapsed(), models: [], error: unreachable(error, origin) };
  }
}

/**
 * Tests the caller's settings for a provider (the server's when the caller has none) with one cheap live call.
 * A success with the caller's own settings is recorded as their `last_tested_at`.
 */
export async function testProvider(userId: string, provider: UserProviderName): Promise<ProviderTestResult> {
  const effective = await effectiveConfig(userId, provider);
  if (!effective) throw new ApiError("conflict", `${provider} is not configured: add its settings first`);
  const result = await probeProvider(effective.config);
  if (result.ok && effective.keySource === "user") await markUserProviderTested(await getDb(), { userId, provider });
  return { ...result, source: effective.keySource };
}
