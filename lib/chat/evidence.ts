import fs from "node:fs/promises";
import path from "node:path";
import { readyPreviewPort } from "@/lib/containers/service";
import { firstStackFrame, listPreviewErrors, previewErrorId, projectFile } from "@/lib/preview/errors";
import { inspectPreview } from "@/lib/preview/inspect-preview";
import type { Evidence, EvidenceError } from "@/lib/shared/chat-protocol";
import { evidenceScreenshotPath, evidenceScreenshotUrl } from "./evidence-files";

/**
 * Evidence of done: after a turn that changed files, the running preview is looked at in headless Chromium (or
 * fetched over HTTP without one). What was seen (status, errors, a screenshot) goes with the turn's completion
 * and is stored with its answer (an `evidence` part); the screenshot is kept outside the project's files.
 */

/** The page's origin removed from messages and stacks: it names the dev server's host port, which changes. */
const withoutOrigin = (s: string, origin: string) => s.split(origin).join("");

async function browserError(projectId: string, origin: string, kind: "error" | "console_error", message: string, stack: string | null): Promise<EvidenceError> {
  const frame = stack ? firstStackFrame(stack) : undefined;
  const file = frame ? await projectFile(projectId, frame.source, origin) : null;
  const line = frame?.line ?? null;
  const clean = withoutOrigin(message, origin);
  return { fingerprint: previewErrorId(kind, clean, file ?? "", line), kind, message: clean, stack: stack ? withoutOrigin(stack, origin) : null, file, line };
}

/**
 * Looks at the project's preview when its dev server is running (null otherwise). `since`: errors the preview's
 * own reporter recorded at or after this time count too (a tab showing the preview saw them).
 */
export async function collectEvidence(input: { projectId: string; messageId: string; since: string; signal?: AbortSignal }): Promise<Evidence | null> {
  const port = readyPreviewPort(input.projectId);
  if (!port) return null;
  const origin = `http://127.0.0.1:${port}`;
  const seen = await inspectPreview(input.projectId, { port, signal: input.signal });
  const errors: EvidenceError[] = [];
  for (const e of seen.page_errors) errors.push(await browserError(input.projectId, origin, "error", e.message, e.stack));
  for (const message of seen.console_errors) errors.push(await browserError(input.projectId, origin, "console_error", message, null));
  if (seen.status === null || seen.status >= 400) {
    const message = seen.status === null ? (seen.note ?? "The page did not load.") : `The page answered HTTP ${seen.status}.`;
    errors.push({ fingerprint: previewErrorId("load", message, "", null), kind: "load", message, stack: null, file: null, line: null });
  }
  const known = new Set(errors.map((e) => e.fingerprint));
  // The preview's reporter words an uncaught error as the browser's event does ("Uncaught Error: boom"): the same
  // error as the page's "boom" at the same place.
  const seenHere = (e: { message: string; file: string | null; line: number | null }) =>
    errors.some((h) => h.file !== null && h.file === e.file && h.line === e.line && e.message.includes(h.message));
  for (const e of listPreviewErrors(input.projectId)) {
    if (e.last_seen < input.since || known.has(e.id) || seenHere(e)) continue;
    errors.push({ fingerprint: e.id, kind: e.kind, message: e.message, stack: e.stack, file: e.file, line: e.line });
  }
  let screenshotUrl: string | undefined;
  if (seen.screenshot) {
    const file = evidenceScreenshotPath(input.projectId, input.messageId);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, seen.screenshot);
    screenshotUrl = evidenceScreenshotUrl(input.projectId, input.messageId);
  }
  return {
    preview_status: seen.status,
    ok: errors.length === 0,
    mode: seen.mode,
    errors: errors.slice(0, 20),
    ...(screenshotUrl ? { screenshot_url: screenshotUrl } : {}),
  };
}
