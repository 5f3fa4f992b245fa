import { z } from "zod";
import { defineRoute } from "@/lib/api/contract";
import { uuid } from "../schemas";

export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_ENV_VARS = 100;
export const MAX_ENV_VALUE_BYTES = 32 * 1024;
/** Names Slipway sets in the app's containers itself. */
export const isReservedEnvKey = (key: string) => ["PORT", "HOST", "NODE_ENV"].includes(key.toUpperCase()) || key.toUpperCase().startsWith("SLIPWAY_");

const projectParams = z.object({ project_id: uuid });

const envVarView = z.object({
  key: z.string(),
  secret: z.boolean(),
  value: z.string().nullable().describe("The value of a plain variable; always null for a secret"),
  hint: z.string().nullable().describe("A secret's last 2 characters (values of 8 or more characters) and its length; null for a plain variable"),
});

const envList = z.object({
  vars: z.array(envVarView),
  restart_required: z.boolean().describe("The container is running with other values: restart it (POST …/container/restart) to apply them"),
});

const envVarInput = z.strictObject({
  key: z
    .string()
    .min(1)
    .max(128)
    .regex(ENV_KEY_PATTERN, "letters, digits and _, not starting with a digit")
    .refine((k) => !isReservedEnvKey(k), "is set by Slipway (PORT, HOST, NODE_ENV, SLIPWAY_*)"),
  value: z
    .string()
    .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_ENV_VALUE_BYTES, `at most ${MAX_ENV_VALUE_BYTES} bytes`)
    .refine((v) => !v.includes("\0"), "must not contain NUL characters")
    .optional()
    .describe("Required for a plain variable; omitted for a secret keeps its stored value"),
  secret: z.boolean().default(false),
});

const envBody = z.strictObject({ vars: z.array(envVarInput).max(MAX_ENV_VARS, `at most ${MAX_ENV_VARS} variables`) }).superRefine((body, ctx) => {
  const seen = new Set<string>();
  body.vars.forEach((v, i) => {
    if (seen.has(v.key)) ctx.addIssue({ code: "custom", path: ["vars", i, "key"], message: "duplicate key" });
    seen.add(v.key);
    if (!v.secret && v.value === undefined) ctx.addIssue({ code: "custom", path: ["vars", i, "value"], message: "required for a plain variable" });
  });
});

export const getProjectEnv = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/env",
  summary: "The app's environment variables: plain values, and secrets as hints only",
  tag: "Environment",
  auth: "user",
  params: projectParams,
  response: envList,
});

export const putProjectEnv = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project_id}/env",
  summary:
    "Replace the app's environment variables (the container and later deployments get them; never files, exports, pushes, checkpoints or the agent). A secret without `value` keeps its stored value",
  tag: "Environment",
  auth: "user",
  params: projectParams,
  body: envBody,
  maxBodyBytes: 4 * 1024 * 1024,
  response: envList,
});

export const appEnvContracts = [getProjectEnv, putProjectEnv];
