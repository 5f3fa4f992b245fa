import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { removeInstanceContainers, requireEngine } from "../../tests/containers/support";
import { apiKeyFor } from "../../tests/helpers/auth";
import { startServer, tempDir, type TestServer } from "../../tests/helpers/server";
import type { Scenario } from "../types";
import { launchChromium } from "./browser";
import { call, type Slipway } from "./project-api";
import { startScriptedModels, type ScriptedModels } from "./scripted-models";

/** The LLM settings the server reads (lib/env.ts), passed through from the eval's environment in model mode. */
const LLM_SETTINGS = [
  "LLM_PROVIDER",
  "MODEL_NAME",
  "OPENROUTER_API_KEY",
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "OPENAI_BASE_URL",
  "AGENT_MAX_STEPS",
  "AGENT_MAX_TOKENS_PER_TURN",
  "LLM_CHUNK_TIMEOUT_MS",
] as const;

/** The template dependency cache the tests share, so vite-react projects need no npm install per run. */
const TEMPLATE_CACHE_DIR = path.resolve("node_modules/.cache/slipway-template-cache");

export interface Harness {
  slipway: Slipway;
  browser: Browser;
  /** In --scripted mode: the per-scenario scripted models. */
  scripted: ScriptedModels | null;
  /** Projects created and not yet deleted. */
  projects: Set<string>;
  /** Deletes what is left (projects, containers, the server's data folder) and stops everything. Safe to call twice. */
  close: () => Promise<void>;
}

/**
 * Waits for `step` (its failure ignored) at most `ms`. The timer also keeps the process alive meanwhile: a step
 * waiting on a child that is already gone holds nothing open, and Node would exit in the middle of the clean-up.
 */
async function bounded(step: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.resolve(step).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The model settings from the environment, with a `.env` in the working directory filling what is unset. */
export function modelEnv(): Record<string, string> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  const out: Record<string, string> = {};
  for (const key of LLM_SETTINGS) {
    const value = process.env[key];
    if (value && value.trim() !== "") out[key] = value;
  }
  return out;
}

/**
 * Starts the production server (from `.next`, on a free port, with its own data folder and local sign-in), a user
 * with an API key, and headless Chromium; in scripted mode also the scripted models, which the server uses as its
 * OpenAI-compatible provider.
 */
export async function startHarness(opts: { scenarios: Scenario[]; scripted: boolean; onClose?: (close: () => Promise<void>) => void }): Promise<Harness> {
  await requireEngine();
  const dataDir = tempDir("slipway-eval-");
  const scripted = opts.scripted ? await startScriptedModels(opts.scenarios) : null;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const projects = new Set<string>();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (server && slipway) {
        for (const id of projects) await bounded(call(slipway, "DELETE", `/api/v1/projects/${id}`, undefined, 15_000), 15_000);
      }
      // After Ctrl+C the browser and the server got the signal too: a close that never answers is given up on.
      await bounded(browser?.close(), 10_000);
      await bounded(server?.stop(), 30_000);
      await bounded(removeInstanceContainers(dataDir), 60_000);
      await bounded(scripted?.close(), 5_000);
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  let slipway: Slipway | undefined;
  opts.onClose?.(close);
  try {
    server = await startServer({
      dataDir,
      env: {
        LOG_LEVEL: "warn",
        ECHO_SOCKET: "off",
        TEMPLATE_CACHE_DIR,
        ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
        ...(scripted
          ? { LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: scripted.baseURL, OPENAI_API_KEY: "sk-eval-scripted", MODEL_NAME: "scripted" }
          : modelEnv()),
      },
    });
    const auth = await apiKeyFor(server.url, "eval");
    slipway = { server, auth: { authorization: auth.authorization, userId: auth.userId } };
    browser = await launchChromium();
    return { slipway, browser, scripted, projects, close };
  } catch (error) {
    await close();
    throw error;
  }
}
