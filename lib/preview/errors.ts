import { createHash } from "node:crypto";
import { statProjectPath } from "@/lib/files/service";
import { publishProjectEvent } from "@/lib/realtime/project-events";
import type { PreviewError, PreviewErrorReport } from "@/lib/shared/preview-errors";
import { singleton } from "@/lib/shared/singleton";

/**
 * Browser runtime errors of a project's dev preview, as its pages report them through the preview
 * proxy (`POST /__slipway/errors`). Kept in memory per project (they describe the running preview, not
 * the project), at most MAX_DISTINCT distinct ones, and announced as `preview_error` project events.
 */

export const MAX_DISTINCT = 50;
export const MESSAGE_MAX = 2048;
export const STACK_MAX = 8192;
export const RATE_LIMIT = { reports: 20, windowMs: 10_000 };

interface ProjectErrors {
  errors: Map<string, PreviewError>;
  /** Times of the reports accepted within the current rate window. */
  recent: number[];
}

const projects = () => singleton("previewErrors", () => new Map<string, ProjectErrors>());
function entry(projectId: string): ProjectErrors {
  let e = projects().get(projectId);
  if (!e) projects().set(projectId, (e = { errors: new Map(), recent: [] }));
  return e;
}

/** Whether another report of this project fits the rate limit; counts it when it does. */
export function takeReportSlot(projectId: string, now = Date.now()): boolean {
  const e = entry(projectId);
  e.recent = e.recent.filter((t) => now - t < RATE_LIMIT.windowMs);
  if (e.recent.length >= RATE_LIMIT.reports) return false;
  e.recent.push(now);
  return true;
}

/**
 * The project path a script URL names: the preview origin, query and hash dropped, Vite's `/@fs/app/`
 * prefix removed, `/` read as index.html. Undefined for other origins and URLs that are no path.
 */
export function candidatePath(source: string, previewOrigin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(source, previewOrigin);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(previewOrigin).origin) return undefined;
  let p: string;
  try {
    p = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (p.startsWith("/@fs/app/")) p = p.slice("/@fs/app".length);
  else if (p.startsWith("/@")) return undefined; // Vite's own modules (/@vite/client, /@react-refresh)
  if (p.endsWith("/")) p += "index.html";
  p = p.replace(/^\/+/, "");
  if (!p || p.split("/").some((s) => s === ".." || s === "." || s === "")) return undefined;
  return p;
}

/** The first `url:line:column` of a stack trace (Chromium's and Firefox's formats). */
export function firstStackFrame(stack: string): { source: string; line: number; column: number } | undefined {
  const m = /(https?:\/\/[^\s()]+?):(\d+):(\d+)/.exec(stack);
  return m?.[1] ? { source: m[1], line: Number(m[2]), column: Number(m[3]) } : undefined;
}

/** The project file a script URL names, when it exists in the project. */
export async function projectFile(projectId: string, source: string | undefined, previewOrigin: string): Promise<string | null> {
  const candidate = source ? candidatePath(source, previewOrigin) : undefined;
  if (!candidate) return null;
  const stat = await statProjectPath(projectId, candidate).catch(() => null);
  return stat?.type === "file" ? stat.path : null;
}

/** An error's fingerprint: equal for the same kind, message and place (a file, else the script URL, and line). */
export function previewErrorId(kind: string, message: string, place: string, line: number | null): string {
  return createHash("sha256")
    .update(JSON.stringify([kind, message, place, line]))
    .digest("hex")
    .slice(0, 16);
}

const cap = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

function publish(projectId: string, error: PreviewError | null) {
  publishProjectEvent(projectId, { type: "preview_error", count: listPreviewErrors(projectId).length, error });
}

/** Records reports (merged with equal ones: same kind, message and place) and announces each. */
export async function recordPreviewErrors(projectId: string, reports: PreviewErrorReport[], previewOrigin: string): Promise<void> {
  const e = entry(projectId);
  for (const report of reports) {
    const message = cap(report.message, MESSAGE_MAX);
    const stack = report.stack ? cap(report.stack, STACK_MAX) : null;
    const frame = !report.source && stack ? firstStackFrame(stack) : undefined;
    const source = report.source || frame?.source;
    const file = await projectFile(projectId, source, previewOrigin);
    const line = report.line ?? frame?.line ?? null;
    const column = report.column ?? frame?.column ?? null;
    const id = previewErrorId(report.kind, message, file ?? source ?? "", line);
    const now = new Date().toISOString();
    const known = e.errors.get(id);
    if (known) {
      known.count += 1;
      known.last_seen = now;
      publish(projectId, known);
      continue;
    }
    if (e.errors.size >= MAX_DISTINCT) continue;
    const error: PreviewError = { id, kind: report.kind, message, stack, file, line, column, first_seen: now, last_seen: now, count: 1 };
    e.errors.set(id, error);
    publish(projectId, error);
  }
}

export function listPreviewErrors(projectId: string): PreviewError[] {
  return [...(projects().get(projectId)?.errors.values() ?? [])];
}

/** Forgets the project's errors; announces the empty list when there were any. */
export function clearPreviewErrors(projectId: string): void {
  const e = projects().get(projectId);
  if (!e || e.errors.size === 0) return;
  e.errors.clear();
  publish(projectId, null);
}
