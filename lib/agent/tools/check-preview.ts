import { tool, zodSchema } from "ai";
import { z } from "zod";
import { previewTarget, readContainerLogs } from "@/lib/containers/service";
import { failure, type AgentToolContext } from "../context";
import { attempt } from "./errors";

const errorLine = /\b(error|failed to compile|unhandled|exception|cannot find module|module not found|syntaxerror|typeerror|referenceerror)\b/i;

function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ path: z.string().max(1024).optional().describe("Page path, default /") }));

export const checkPreviewTool = (ctx: AgentToolContext) =>
  tool({
    description: "Load the live preview (starting the dev server if needed) and report the HTTP status, the page title and text, and errors in the page or the recent dev-server output.",
    inputSchema,
    execute: ({ path }) =>
      attempt(async () => {
        ctx.status("waiting_for_preview", "check_preview");
        const target = await previewTarget(ctx.projectId);
        if ("error" in target) return failure(`The preview is not available: ${target.error}`);
        const pagePath = path && path.startsWith("/") ? path : `/${path ?? ""}`;
        let status: number;
        let body: string;
        try {
          const res = await fetch(`http://127.0.0.1:${target.port}${pagePath}`, {
            signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(20_000)]),
            redirect: "manual",
          });
          status = res.status;
          body = (await res.text()).slice(0, 500_000);
        } catch (error) {
          return failure(`The preview did not answer: ${(error as Error).name === "TimeoutError" ? "timed out after 20 s" : "connection failed"}`);
        }
        const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.trim() ?? null;
        const text = textOf(body);
        const logs = await readContainerLogs(ctx.projectId, { tail: 60 }).catch(() => "");
        const logErrors = logs.split("\n").filter((l) => errorLine.test(l)).slice(-10);
        const pageErrors = text.match(/[^.]*\b(error|failed to compile|unhandled runtime error)\b[^.]*\.?/gi)?.slice(0, 5) ?? [];
        return {
          status,
          ok: status < 400 && pageErrors.length === 0,
          title,
          text: text.slice(0, 1500),
          page_errors: pageErrors,
          log_errors: logErrors,
        };
      }),
  });
