import { tool, zodSchema } from "ai";
import { z } from "zod";
import { isBinary, listTree, readProjectBytes } from "@/lib/files/service";
import { failure, type AgentToolContext } from "../context";
import { LineSearch, LineSearchTimeout, type LineMatch } from "../line-search";
import { attempt } from "./errors";

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 5000;
/** What one batch of files (line-search.ts) may take to match. */
const MATCH_TIMEOUT_MS = 2000;

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(
  z.object({
    query: z.string().min(1).max(500),
    path: z.string().max(1024).optional().describe("Folder to search in; the whole project when omitted"),
    regex: z.boolean().optional(),
    case_sensitive: z.boolean().optional(),
    max_results: z.number().int().min(1).max(500).optional(),
  }),
);

export const searchFilesTool = (ctx: AgentToolContext) =>
  tool({
    description: "Search the project's text files (grep): every line containing `query` (plain text, or a regular expression when regex is true).",
    inputSchema,
    execute: ({ query, path, regex, case_sensitive, max_results }) =>
      attempt(async () => {
        let pattern: RegExp;
        try {
          pattern = new RegExp(regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), case_sensitive ? "" : "i");
        } catch {
          return failure(`Invalid regular expression: ${query}`);
        }
        const limit = max_results ?? 100;
        const { entries } = await listTree(ctx.projectId, { path: path ?? "", maxEntries: MAX_FILES });
        const search = new LineSearch(pattern, { limit, timeoutMs: MATCH_TIMEOUT_MS });
        const stop = () => search.close(); // a cancelled turn does not wait for the batch being matched
        ctx.signal.addEventListener("abort", stop, { once: true });
        let matches: LineMatch[];
        let scanned = 0;
        try {
          for (const entry of entries) {
            if (entry.type !== "file" || entry.size > MAX_FILE_BYTES) continue;
            if (ctx.signal.aborted || search.full) break;
            let bytes: Buffer;
            try {
              ({ bytes } = await readProjectBytes(ctx.projectId, entry.path, { maxBytes: MAX_FILE_BYTES }));
            } catch {
              continue; // vanished or became unreadable mid-search
            }
            if (isBinary(bytes)) continue;
            scanned++;
            await search.add({ path: entry.path, text: bytes.toString("utf8") });
          }
          matches = await search.results();
        } catch (error) {
          if (!(error instanceof LineSearchTimeout)) throw error;
          return failure(
            `The search was stopped: matching one part of the files took longer than ${MATCH_TIMEOUT_MS / 1000} s. ` +
              "Simplify the regular expression: nested repetition such as (a+)+ or (\\w+\\s*)* can take forever on some lines.",
          );
        } finally {
          ctx.signal.removeEventListener("abort", stop);
          search.close();
        }
        return { matches, files_searched: scanned, truncated: matches.length >= limit };
      }),
  });
