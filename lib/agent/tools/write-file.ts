import { tool, zodSchema } from "ai";
import { z } from "zod";
import { readProjectFile, writeProjectFile } from "@/lib/files/service";
import { failure, type AgentToolContext } from "../context";
import { findTruncationPlaceholder, truncationError } from "../truncation";
import { attempt } from "./errors";

async function currentText(projectId: string, path: string): Promise<string> {
  try {
    const file = await readProjectFile(projectId, path);
    return file.binary ? "" : file.content;
  } catch {
    return "";
  }
}

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ path: z.string().min(1).max(1024), content: z.string() }));

export const writeFileTool = (ctx: AgentToolContext) =>
  tool({
    description: "Create a file or replace a file's whole content (parent folders are created). Write the complete content, never placeholders.",
    inputSchema,
    execute: ({ path, content }) =>
      attempt(async () => {
        const placeholder = findTruncationPlaceholder(content);
        // A placeholder-like comment the file already had is the user's code, not a truncation.
        if (placeholder && !(await currentText(ctx.projectId, path)).includes(placeholder)) return failure(truncationError(placeholder));
        await ctx.beforeChange();
        const written = await writeProjectFile(ctx.projectId, path, content, { source: "agent" });
        ctx.changedFiles.add(written.path);
        return { path: written.path, created: written.created, bytes: written.size };
      }),
  });
