import { tool, zodSchema } from "ai";
import { z } from "zod";
import { moveProjectPath } from "@/lib/files/service";
import type { AgentToolContext } from "../context";
import { attempt } from "./errors";

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ from: z.string().min(1).max(1024), to: z.string().min(1).max(1024) }));

export const renameFileTool = (ctx: AgentToolContext) =>
  tool({
    description: "Rename or move a file or folder inside the project. Fails when the destination exists.",
    inputSchema,
    execute: ({ from, to }) =>
      attempt(async () => {
        await ctx.beforeChange();
        const moved = await moveProjectPath(ctx.projectId, from, to, { source: "agent" });
        ctx.changedFiles.add(moved.from);
        ctx.changedFiles.add(moved.to);
        return { from: moved.from, to: moved.to, type: moved.type };
      }),
  });
