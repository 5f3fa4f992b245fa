import { authProviders } from "@/lib/auth/auth";
import { engineStatus } from "@/lib/containers/engine";
import { env } from "@/lib/env";
import { getDb } from "@/prisma-free-db/client";
import { containerCounts } from "./container-counts";
import { serverProviderCheck } from "./provider-check";

const startedAt = Date.now();

/** One real query: does the database answer, and how fast. */
async function probeDatabase(): Promise<{ ok: true; latency_ms: number } | { ok: false; error: string }> {
  const t0 = performance.now();
  try {
    const db = await getDb();
    const row = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM schema_migrations");
    if (!row) throw new Error("no answer");
    return { ok: true, latency_ms: Math.round((performance.now() - t0) * 100) / 100 };
  } catch (error) {
    // Public endpoint: keep file paths out of the reason.
    const message = error instanceof Error ? error.message.split("\n")[0]!.replace(/"[^"]*\/[^"]*"/g, '"…"') : "database error";
    return { ok: false, error: `database did not answer: ${message}` };
  }
}

// Load balancers poll /health often: the database is queried at most once a second and the engine at most every
// 2 s; a write the disk refused shows on the very next call (it is known without a query).
const DATABASE_TTL_MS = 1000;
let databaseCache: { at: number; status: ReturnType<typeof probeDatabase> } | undefined;

async function databaseStatus() {
  if (!databaseCache || Date.now() - databaseCache.at > DATABASE_TTL_MS) databaseCache = { at: Date.now(), status: probeDatabase() };
  const probe = await databaseCache.status;
  if (!probe.ok) return probe;
  // Reads may still answer while the disk refuses writes: that is not healthy either.
  const writeFailure = (await getDb()).writeFailure;
  return writeFailure ? { ...probe, ok: false, error: writeFailure } : probe;
}

/** The engine's status and, when it answers, this instance's containers counted by state. */
async function engineReport() {
  const status = await engineStatus();
  if (!status.ok) return status;
  const containers = await containerCounts().catch(() => undefined);
  return { ...status, containers };
}

const ENGINE_TTL_MS = 2000;
let engineCache: { at: number; status: ReturnType<typeof engineReport> } | undefined;
function recentEngineStatus() {
  if (!engineCache || Date.now() - engineCache.at > ENGINE_TTL_MS) engineCache = { at: Date.now(), status: engineReport() };
  return engineCache.status;
}

/**
 * What /health reports: real checks of the database and the engine (with the containers by state), which providers
 * are configured, and whether the default provider's key works (a cached live check, see provider-check.ts).
 */
export async function healthReport() {
  const e = env();
  const [database, docker, check] = await Promise.all([databaseStatus(), recentEngineStatus(), serverProviderCheck()]);
  return {
    status: database.ok && docker.ok ? ("ok" as const) : ("degraded" as const),
    version: process.env.npm_package_version ?? "0.1.0",
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
    database,
    docker,
    auth: authProviders(),
    llm: {
      provider: e.LLM_PROVIDER ?? "auto",
      model: e.MODEL_NAME ?? null,
      openrouter: Boolean(e.OPENROUTER_API_KEY),
      openai: Boolean(e.OPENAI_API_KEY),
      anthropic: Boolean(e.ANTHROPIC_API_KEY),
      openai_compatible: Boolean(e.OPENAI_BASE_URL),
      check,
    },
  };
}
