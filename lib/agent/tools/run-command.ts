import { tool, zodSchema } from "ai";
import { z } from "zod";
import { execInProject } from "@/lib/containers/service";
import type { AgentToolContext } from "../context";
import { attempt } from "./errors";

const MAX_OUTPUT_BYTES = 64 * 1024;
/** What the model sees of the output: the end matters most (errors, summaries). */
const SHOWN_CHARS = 8000;

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(
  z.object({
    command: z.string().min(1).max(4000),
    timeout_seconds: z.number().int().min(1).max(600).optional().describe("Default 120"),
  }),
);

export const runCommandTool = (ctx: AgentToolContext) =>
  tool({
    description:
      "Run a shell command in the project's container, in the project folder (e.g. `npm install zod`, `npm test`). Output is capped; long-running servers must not be started here (the dev server already runs).",
    inputSchema,
    execute: ({ command, timeout_seconds }) =>
      attempt(async () => {
        ctx.status("running_tool", "run_command");
        await ctx.beforeChange();
        const result = await execInProject(ctx.projectId, {
          command,
          timeoutMs: (timeout_seconds ?? 120) * 1000,
          maxOutputBytes: MAX_OUTPUT_BYTES,
          signal: ctx.signal,
        });
        const output = result.output.length > SHOWN_CHARS ? `…${result.output.slice(-SHOWN_CHARS)}` : result.output;
        return {
          exit_code: result.exit_code,
          output,
          timed_out: result.timed_out,
          cancelled: result.aborted,
          truncated: result.truncated || result.output.length > SHOWN_CHARS,
          duration_ms: result.duration_ms,
          ...(result.exit_code !== 0
            ? { error: result.timed_out ? "The command timed out and was killed." : `The command exited with code ${result.exit_code}.` }
            : {}),
        };
      }),
  });
