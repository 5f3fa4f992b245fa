import path from "node:path";
import { z } from "zod";
import { singleton } from "@/lib/shared/singleton";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined))
  .pipe(z.url().optional());

/** A comma-separated list of origins (scheme://host[:port]), each validated; blank entries are skipped. */
const originList = z
  .string()
  .default("")
  .transform((v, ctx) => {
    const origins: string[] = [];
    for (const entry of v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const url = URL.canParse(entry) ? new URL(entry) : null;
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
        ctx.addIssue({ code: "custom", message: `"${entry}" is not an http(s) origin such as https://app.example.com` });
      else origins.push(url.origin);
    }
    return origins;
  });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    WEB_URL: optionalUrl,
    CORS_ORIGINS: originList,
    AUTH_SECRET: z.string({ error: "is required (32+ characters; `openssl rand -base64 32`)" }).min(32, "must be at least 32 characters"),
    DATABASE_DIR: z.string().min(1).default("./data"),
    PROJECTS_DIR: optionalString,
    TEMPLATE_CACHE_DIR: optionalString,
    FILE_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(5 * 1024 * 1024),
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(5 * 1024 * 1024),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** `on`: /ws/echo answers every frame with itself (a probe of the socket layer for tests and diagnostics). */
    ECHO_SOCKET: z.enum(["on", "off"]).default("off"),
    /** `direct`: in production, API requests go straight to their route handlers, past Next's router (lib/server/api-dispatch.ts). */
    API_DISPATCH: z.enum(["direct", "next"]).default("direct"),

    LOCAL_AUTH: z.enum(["auto", "on", "off"]).default("auto"),
    LOCAL_AUTH_PASSWORD: optionalString,
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    GOOGLE_ISSUER: z.url().default("https://accounts.google.com"),
    GITHUB_CLIENT_ID: optionalString,
    GITHUB_CLIENT_SECRET: optionalString,
    GITHUB_URL: z.url().default("https://github.com"),
    /** Which callback path Google/GitHub are told: `provider-first` (/api/v1/auth/{provider}/callback) or next-auth's own. */
    OAUTH_CALLBACK_PATH: z.enum(["provider-first", "next-auth"]).default("provider-first"),

    LLM_PROVIDER: z.enum(["openrouter", "openai", "anthropic", "openai-compatible", "ollama"]).optional(),
    MODEL_NAME: optionalString,
    OPENROUTER_API_KEY: optionalString,
    OPENAI_API_KEY: optionalString,
    ANTHROPIC_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalUrl,
    AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(200).default(25),
    AGENT_MAX_TOKENS_PER_TURN: z.coerce.number().int().min(1000).default(400_000),
    LLM_CHUNK_TIMEOUT_MS: z.coerce.number().int().min(100).default(90_000),

    DOCKER_HOST: optionalString,
    PREVIEW_IMAGE: z.string().min(1).default("node:20-bookworm-slim"),
    PREVIEW_BASE_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/, "must be a bare domain such as preview.localhost")
      .default("preview.localhost"),
    PREVIEW_IDLE_MINUTES: z.coerce.number().min(0).default(30),
    CONTAINER_MEMORY_MB: z.coerce.number().int().min(64).default(1024),
    CONTAINER_CPUS: z.coerce.number().min(0.1).default(1),
    CONTAINER_PIDS: z.coerce.number().int().min(16).default(256),
    CONTAINER_READY_TIMEOUT_SECONDS: z.coerce.number().min(1).default(90),
    TERMINAL_IDLE_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(15 * 60_000),
    TERMINAL_OUTPUT_BYTES_PER_SECOND: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    NODE_EXTRA_CA_CERTS: optionalString,
    CHROMIUM_PATH: optionalString,
    AUTO_FIX_MAX_TOKENS: z.coerce.number().int().min(0).default(200_000),

    INTEGRATIONS_KEY: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    GITHUB_API_URL: z.url().default("https://api.github.com"),
    VERCEL_API_URL: z.url().default("https://api.vercel.com"),
    DEPLOY_BASE_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/, "must be a host name like deploy.localhost")
      .default("deploy.localhost"),
  })
  .superRefine((v, ctx) => {
    if (Boolean(v.GOOGLE_CLIENT_ID) !== Boolean(v.GOOGLE_CLIENT_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["GOOGLE_CLIENT_SECRET"], message: "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together" });
    }
    if (Boolean(v.GITHUB_CLIENT_ID) !== Boolean(v.GITHUB_CLIENT_SECRET)) {
      ctx.addIssue({ code: "custom", path: ["GITHUB_CLIENT_SECRET"], message: "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together" });
    }
    // Only openai-compatible and ollama send requests to OPENAI_BASE_URL; the hosted providers would ignore it.
    if (v.OPENAI_BASE_URL && (v.LLM_PROVIDER === "openai" || v.LLM_PROVIDER === "openrouter" || v.LLM_PROVIDER === "anthropic")) {
      ctx.addIssue({
        code: "custom",
        path: ["OPENAI_BASE_URL"],
        message: `LLM_PROVIDER=${v.LLM_PROVIDER} always calls ${v.LLM_PROVIDER === "openai" ? "api.openai.com" : v.LLM_PROVIDER === "openrouter" ? "openrouter.ai" : "api.anthropic.com"} and would ignore it: for another OpenAI-compatible server use LLM_PROVIDER=openai-compatible, otherwise leave OPENAI_BASE_URL blank`,
      });
    }
  });

export type Env = ReturnType<typeof finish>;

function finish(raw: z.infer<typeof schema>) {
  const databaseDir = path.resolve(/*turbopackIgnore: true*/ raw.DATABASE_DIR);
  const oauthConfigured = Boolean(raw.GOOGLE_CLIENT_ID || raw.GITHUB_CLIENT_ID);
  return {
    ...raw,
    WEB_URL: raw.WEB_URL ?? `http://localhost:${raw.PORT}`,
    DATABASE_DIR: databaseDir,
    PROJECTS_DIR: path.resolve(/*turbopackIgnore: true*/ raw.PROJECTS_DIR ?? path.join(databaseDir, "projects")),
    TEMPLATE_CACHE_DIR: path.resolve(/*turbopackIgnore: true*/ raw.TEMPLATE_CACHE_DIR ?? path.join(databaseDir, "template-cache")),
    localAuthEnabled: raw.LOCAL_AUTH === "on" || (raw.LOCAL_AUTH === "auto" && !oauthConfigured),
  };
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Parses a raw environment; throws EnvError naming every bad variable. A blank value counts as not set, as
 * .env.example promises (a copy of it leaves most variables blank).
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = schema.safeParse(given);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  return finish(result.data);
}

const parsed = () => singleton("env", () => ({ env: undefined as Env | undefined }));

/** The process's configuration, parsed once. */
export function env(): Env {
  return (parsed().env ??= parseEnv(process.env));
}

/** Makes the next env() parse process.env again (for tests that set variables in their own process). */
export function reloadEnv(): void {
  parsed().env = undefined;
}
