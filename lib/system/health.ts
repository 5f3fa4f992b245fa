import { authProviders } from "@/lib/auth/auth";
import { engineStatus } from "@/lib/containers/engine";
import { env } from "@/lib/env";
import { getDb } from "@/prisma-free-db/client";
import { containerCounts } from "./container-counts";
import { serverProviderCheck } from "./provider-check";

const startedAt = Date.now();

async function databaseStatus() {
  const t0 = performance.now();
  try {
    const db = await getDb();
    const row = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM schema_migrations");
    if (!row) throw new Error("no answer");
    const latency_ms = Math.round((performance.now() - t0) * 100) / 100;
    // Reads may still answer while the disk refuses writes: that is not healthy either.
    return db.writeFailure ? { ok: false, latency_ms, error: db.writeFailure } : { ok: true, latency_ms };
  } catch (error) {
    // Public endpoint: keep file paths out of the reason.
    const message = error instanceof Error ? error.message.split("\n")[0]!.replace(/"[^"]*\/[^"]*"/g, '"…"') : "database error";
    return { ok: false, error: `database did not answer: ${message}` };
  }
}

/** The engine's status and, when it answers, this instance's containers counted by state. */
async function engineReport() {
  const status = await engineStatus();
  if (!status.ok) return status;
  const containers = await containerCounts().catch(() => undefined);
  return { ...status, containers };
}

// Load balancers poll /health often; the engine is asked at most every 2 s (the database on every call).
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
