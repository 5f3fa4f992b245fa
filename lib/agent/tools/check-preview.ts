import { tool, zodSchema } from "ai";
import { z } from "zod";
import { previewTarget } from "@/lib/containers/service";
import { inspectPreview } from "@/lib/preview/inspect-preview";
import { withModelImages } from "../model-images";
import { failure, type AgentToolContext } from "../context";
import { attempt } from "./errors";

// Built once: the SDK derives the JSON schema sent with every request from this object and caches it there.
const inputSchema = zodSchema(z.object({ path: z.string().max(1024).optional().describe("Page path, default /") }));

export const checkPreviewTool = (ctx: AgentToolContext) =>
  tool({
    description:
      "Load the live preview in a headless browser (starting the dev server if needed) and report the HTTP status, the page title and visible text, console errors, uncaught errors, failed requests and errors in the recent dev-server output; models that read images also get a screenshot.",
    inputSchema,
    execute: ({ path }) =>
      attempt(async () => {
        ctx.status("waiting_for_preview", "check_preview");
        const target = await previewTarget(ctx.projectId);
        if ("error" in target) return failure(`The preview is not available: ${target.error}`);
        const { screenshot, ...report } = await inspectPreview(ctx.projectId, { port: target.port, path, signal: ctx.signal });
        const images = screenshot
          ? [{ mime: "image/jpeg", data: new Uint8Array(screenshot), caption: `Screenshot of the preview at ${path || "/"} (check_preview).` }]
          : [];
        return withModelImages({ ...report, screenshot: screenshot !== null }, images);
      }),
  });
