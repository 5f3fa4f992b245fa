import { z } from "zod";
import { defineRoute } from "@/lib/api/contract";
import { uuid } from "../schemas";

const projectParams = z.object({ project_id: uuid });

export const containerState = z.object({
  state: z.enum(["stopped", "starting", "ready", "crashed"]),
  port: z.number().int().nullable().describe("Host port on 127.0.0.1 the dev server is published on while running"),
  started_at: z.string().nullable(),
  exit_code: z.number().int().nullable(),
  oom_killed: z.boolean(),
  last_error: z.string().nullable().describe("Why the dev server is not running: exit code or timeout, with its last output"),
  preview_url: z.string(),
});

const containerView = containerState.extend({
  preview_auth_url: z
    .string()
    .describe("Open this (e.g. as the iframe src) to get a cookie for the private preview; it holds a signed token valid for 5 minutes"),
});

export const getContainer = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/container",
  summary: "The project's container state, preview URL and a short-lived preview sign-in URL",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  response: containerView,
});

export const startContainer = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/container/start",
  summary: "Start the dev server (no-op when running) and wait until it answers HTTP; returns ready or crashed",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  response: containerView,
});

export const stopContainer = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/container/stop",
  summary: "Stop the dev server (its container is removed; files stay)",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  response: containerView,
});

export const restartContainer = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/container/restart",
  summary: "Recreate the container and wait until the dev server answers HTTP",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  response: containerView,
});

export const containerLogs = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/container/logs",
  summary:
    "The dev server's output: `data.logs` holds the last `tail` lines; with follow=1 the response is instead a text/plain stream of them and everything after, open until the container stops",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  query: z.object({
    tail: z.coerce.number().int().min(1).max(10_000).default(200),
    follow: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
  }),
  response: z.object({ logs: z.string() }),
});

export const execInContainer = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/container/exec",
  summary:
    "Run a command in the project's container (started if needed) in /app as the container user; killed on timeout with the output so far returned. 409 (with `error.output`, the output so far) when the container stops while the command runs",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  body: z.strictObject({
    command: z.union([z.string().min(1).max(10_000), z.array(z.string().max(10_000)).min(1).max(200)]).describe("`sh -c` command line, or an argv array"),
    timeout_ms: z.number().int().min(100).max(600_000).default(60_000),
    max_output_bytes: z
      .number()
      .int()
      .min(1)
      .max(4 * 1024 * 1024)
      .default(256 * 1024),
  }),
  response: z.object({
    exit_code: z.number().int().nullable().describe("null when the process was killed before it reported one"),
    output: z.string().describe("stdout and stderr interleaved"),
    stdout: z.string(),
    stderr: z.string(),
    timed_out: z.boolean(),
    truncated: z.boolean().describe("Output beyond max_output_bytes was dropped"),
    duration_ms: z.number(),
  }),
});

const previewError = z.object({
  id: z.string(),
  kind: z.enum(["error", "unhandled_rejection", "console_error", "resource", "vite_overlay"]),
  message: z.string(),
  stack: z.string().nullable(),
  file: z.string().nullable().describe("Project path the error points at, when the script URL names a file of the project"),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  first_seen: z.string(),
  last_seen: z.string(),
  count: z.number().int().describe("Times it was reported"),
});

export const listPreviewErrors = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/preview/errors",
  summary:
    "Browser runtime errors the dev preview's pages reported (uncaught errors, unhandled rejections, console.error, failed script loads, Vite's overlay), at most 50 distinct; cleared when a page loads without error",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  response: z.object({ errors: z.array(previewError) }),
});

export const clearPreviewErrors = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project_id}/preview/errors",
  summary: "Forget the preview's reported errors",
  tag: "Containers",
  auth: "user",
  params: projectParams,
  response: z.object({ errors: z.array(previewError) }),
});

export const containersContracts = [
  getContainer,
  startContainer,
  stopContainer,
  restartContainer,
  containerLogs,
  execInContainer,
  listPreviewErrors,
  clearPreviewErrors,
];
