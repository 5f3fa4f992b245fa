import { tool } from "ai";
import { z } from "zod";
import { listTree } from "@/lib/files/service";
import type { AgentToolContext } from "../context";
import { attempt } from "./errors";

const MAX_ENTRIES = 1500;

export const listFilesTool = (ctx: AgentToolContext) =>
  tool({
    description: "List the project's files and folders (recursively) under a folder. Folders end with '/'. node_modules, .git and build output are left out.",
    inputSchema: z.object({ path: z.string().max(1024).optional().describe("Folder relative to the project root; empty for the root") }),
    execute: ({ path }) =>
      attempt(async () => {
        const { entries, truncated } = await listTree(ctx.projectId, { path: path ?? "", maxEntries: MAX_ENTRIES });
        return {
          entries: entries.map((e) => (e.type === "directory" ? `${e.path}/` : e.type === "symlink" ? `${e.path} (symlink)` : `${e.path} (${e.size} bytes)`)),
          truncated,
        };
      }),
  });
