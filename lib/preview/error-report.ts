import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { previewErrorKinds } from "@/lib/shared/preview-errors";
import { clearPreviewErrors, recordPreviewErrors, takeReportSlot, MESSAGE_MAX, STACK_MAX } from "./errors";

/** The largest report body the preview host reads. */
export const REPORT_BODY_MAX = 32 * 1024;

const reportBody = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("errors"),
    errors: z
      .array(
        z.object({
          kind: z.enum(previewErrorKinds),
          message: z.string().min(1).max(MESSAGE_MAX),
          stack: z.string().max(STACK_MAX).optional(),
          source: z.string().max(2048).optional(),
          line: z.number().int().min(1).optional(),
          column: z.number().int().min(1).optional(),
        }),
      )
      .min(1)
      .max(20),
  }),
  z.object({ type: z.literal("loaded"), errors: z.number().int().min(0) }),
]);

function answer(res: ServerResponse, status: number, text?: string) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(text ? text + "\n" : undefined);
}

function readBody(req: IncomingMessage): Promise<Buffer | "too_large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > REPORT_BODY_MAX) {
        resolve("too_large");
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * `POST /__slipway/errors` on a preview host whose grant the caller holds: a page's error reports, or
 * its `loaded` beacon (no error in that page load clears the list). Rate-limited per project.
 */
export async function handleErrorReport(req: IncomingMessage, res: ServerResponse, projectId: string) {
  if (req.method !== "POST") return answer(res, 405, "Method not allowed");
  if (Number(req.headers["content-length"] ?? 0) > REPORT_BODY_MAX) return answer(res, 413, "Report too large");
  const raw = await readBody(req);
  if (raw === "too_large") return answer(res, 413, "Report too large");
  let parsed;
  try {
    parsed = reportBody.safeParse(JSON.parse(raw.toString("utf8")));
  } catch {
    return answer(res, 400, "Invalid report: send JSON");
  }
  if (!parsed.success) return answer(res, 400, "Invalid report");
  if (!takeReportSlot(projectId)) return answer(res, 429, "Too many reports");
  const body = parsed.data;
  if (body.type === "loaded") {
    if (body.errors === 0) clearPreviewErrors(projectId);
    return answer(res, 204);
  }
  const host = req.headers.host ?? "";
  const origin = `${new URL(env().WEB_URL).protocol}//${host}`;
  try {
    await recordPreviewErrors(projectId, body.errors, origin);
  } catch (error) {
    log.warn("preview error report failed", { project_id: projectId, error });
    return answer(res, 500, "Internal error");
  }
  answer(res, 204);
}
