import { tool, zodSchema } from "ai";
import { z } from "zod";
import { deleteProjectPath } from "@/lib/files/service";
import type { AgentToolContext } from "../context";
import { attempt } from "./errors";

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ path: z.string().min(1).max(1024) }));

export const deleteFileTool = (ctx: AgentToolContext) =>
  tool({
    description: "Delete a file or a folder (with its contents) of the project.",
    inputSchema,
    execute: ({ path }) =>
      attempt(async () => {
        await ctx.beforeChange();
        const deleted = await deleteProjectPath(ctx.projectId, path, { source: "agent" });
        ctx.changedFiles.add(deleted.path);
        return { deleted: deleted.path, type: deleted.type };
      }),
  });
