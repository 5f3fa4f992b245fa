import { tool, zodSchema } from "ai";
import { z } from "zod";
import { readProjectFile, writeProjectFile } from "@/lib/files/service";
import { failure, type AgentToolContext } from "../context";
import { findTruncationPlaceholder, truncationError } from "../truncation";
import { attempt } from "./errors";

function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ path: z.string().min(1).max(1024), search: z.string().min(1), replace: z.string() }));

export const editFileTool = (ctx: AgentToolContext) =>
  tool({
    description:
      "Replace one exact piece of a file: `search` must occur exactly once in the file (copy it from read_file, whitespace included); it is replaced by `replace`. Zero or several matches are an error.",
    inputSchema,
    execute: ({ path, search, replace }) =>
      attempt(async () => {
        const file = await readProjectFile(ctx.projectId, path);
        if (file.binary) return failure(`${file.path} is a binary file; it cannot be edited as text.`);
        const count = occurrences(file.content, search);
        if (count === 0) {
          return failure(
            `The search text was not found in ${file.path}. Read the file again and copy the exact text to replace, including whitespace and indentation.`,
          );
        }
        if (count > 1) {
          return failure(`The search text occurs ${count} times in ${file.path}. Include more surrounding lines so that it matches exactly once.`);
        }
        const placeholder = findTruncationPlaceholder(replace);
        if (placeholder && !search.includes(placeholder)) return failure(truncationError(placeholder));
        const index = file.content.indexOf(search);
        const next = file.content.slice(0, index) + replace + file.content.slice(index + search.length);
        // expectedVersion: a concurrent change between our read and write is a conflict, never a lost update.
        await ctx.beforeChange();
        const written = await writeProjectFile(ctx.projectId, file.path, next, { source: "agent", expectedVersion: file.version });
        ctx.changedFiles.add(written.path);
        return { path: written.path, replaced: 1, line: file.content.slice(0, index).split("\n").length };
      }),
  });
