import { tool, zodSchema } from "ai";
import { z } from "zod";
import { readContainerLogs } from "@/lib/containers/service";
import type { AgentToolContext } from "../context";
import { attempt } from "./errors";

const SHOWN_CHARS = 8000;

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ lines: z.number().int().min(1).max(1000).optional().describe("How many of the last lines; default 100") }));

export const readLogsTool = (ctx: AgentToolContext) =>
  tool({
    description: "Read the dev server's recent output (build errors, runtime errors, request logs).",
    inputSchema,
    execute: ({ lines }) =>
      attempt(async () => {
        const logs = await readContainerLogs(ctx.projectId, { tail: lines ?? 100 });
        return { logs: logs.length > SHOWN_CHARS ? `…${logs.slice(-SHOWN_CHARS)}` : logs || "(no output: the container is not running)" };
      }),
  });
