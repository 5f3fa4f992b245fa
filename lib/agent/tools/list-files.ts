import { tool, zodSchema } from "ai";
import { z } from "zod";
import { listTree } from "@/lib/files/service";
import type { AgentToolContext } from "../context";
import { attempt } from "./errors";

const MAX_ENTRIES = 1500;

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ path: z.string().max(1024).optional().describe("Folder relative to the project root; empty for the root") }));

export const listFilesTool = (ctx: AgentToolContext) =>
  tool({
    description: "List the project's files and folders (recursively) under a folder. Folders end with '/'. node_modules, .git and build output are left out.",
    inputSchema,
    execute: ({ path }) =>
      attempt(async () => {
        const { entries, truncated } = await listTree(ctx.projectId, { path: path ?? "", maxEntries: MAX_ENTRIES });
        return {
          entries: entries.map((e) => (e.type === "directory" ? `${e.path}/` : e.type === "symlink" ? `${e.path} (symlink)` : `${e.path} (${e.size} bytes)`)),
          truncated,
        };
      }),
  });
