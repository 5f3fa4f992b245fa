import { tool, zodSchema } from "ai";
import { z } from "zod";
import { readProjectFile } from "@/lib/files/service";
import { failure, type AgentToolContext } from "../context";
import { attempt } from "./errors";

/** Larger files are returned by line range. */
const MAX_CHARS = 60_000;

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(
  z.object({
    path: z.string().min(1).max(1024),
    start_line: z.number().int().min(1).optional(),
    end_line: z.number().int().min(1).optional(),
  }),
);

export const readFileTool = (ctx: AgentToolContext) =>
  tool({
    description: "Read a text file of the project. Long files: pass start_line/end_line (1-based, inclusive) to read a part.",
    inputSchema,
    execute: ({ path, start_line, end_line }) =>
      attempt(async () => {
        const file = await readProjectFile(ctx.projectId, path);
        if (file.binary) return failure(`${file.path} is a binary file (${file.size} bytes); it cannot be read as text.`);
        const lines = file.content.split("\n");
        const from = start_line ?? 1;
        const to = Math.min(end_line ?? lines.length, lines.length);
        let content = lines.slice(from - 1, to).join("\n");
        let truncated = false;
        if (content.length > MAX_CHARS) {
          content = content.slice(0, MAX_CHARS);
          truncated = true;
        }
        return {
          path: file.path,
          total_lines: lines.length,
          start_line: from,
          end_line: to,
          content,
          ...(truncated ? { truncated: `Only the first ${MAX_CHARS} characters are shown; read further with start_line/end_line.` } : {}),
        };
      }),
  });
