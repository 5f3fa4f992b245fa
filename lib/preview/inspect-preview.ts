import { readContainerLogs } from "@/lib/containers/service";
import { inspectPage, type PageError } from "./headless";

/**
 * A look at a project's running dev server as the agent and the evidence of a turn report it: in headless
 * Chromium when one is installed (`mode: "chromium"`, with runtime errors and a screenshot), else a plain HTTP
 * fetch of the page (`mode: "http"`), plus the error lines of the dev server's recent output.
 */
export interface PreviewInspection {
  mode: "chromium" | "http";
  status: number | null;
  ok: boolean;
  title: string | null;
  text: string;
  console_errors: string[];
  page_errors: PageError[];
  failed_requests: string[];
  log_errors: string[];
  /** Why the page could not be loaded, or what the check could not do. */
  note?: string;
  screenshot: Buffer | null;
}

const errorLine = /\b(error|failed to compile|unhandled|exception|cannot find module|module not found|syntaxerror|typeerror|referenceerror)\b/i;
const HTTP_NOTE =
  "No Chromium is installed on the server, so only the HTML was fetched: errors thrown in the browser are not seen (install one: apt-get install -y chromium, or set CHROMIUM_PATH).";

function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

async function logErrors(projectId: string): Promise<string[]> {
  const logs = await readContainerLogs(projectId, { tail: 60 }).catch(() => "");
  return logs
    .split("\n")
    .filter((l) => errorLine.test(l))
    .slice(-10);
}

async function httpCheck(port: number, pagePath: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<Omit<PreviewInspection, "log_errors">> {
  const base = { mode: "http" as const, console_errors: [], failed_requests: [], screenshot: null };
  let res: Response;
  let body: string;
  try {
    res = await fetch(`http://127.0.0.1:${port}${pagePath}`, {
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    body = (await res.text()).slice(0, 500_000);
  } catch (error) {
    const why = (error as Error).name === "TimeoutError" ? `timed out after ${Math.round(timeoutMs / 1000)} s` : "connection failed";
    return { ...base, status: null, ok: false, title: null, text: "", page_errors: [], note: `The preview did not answer: ${why}. ${HTTP_NOTE}` };
  }
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.trim() ?? null;
  const text = textOf(body);
  const pageErrors = (text.match(/[^.]*\b(error|failed to compile|unhandled runtime error)\b[^.]*\.?/gi)?.slice(0, 5) ?? []).map((m) => ({
    message: m.trim(),
    stack: null,
  }));
  return {
    ...base,
    status: res.status,
    ok: res.status < 400 && pageErrors.length === 0,
    title,
    text: text.slice(0, 1500),
    page_errors: pageErrors,
    note: HTTP_NOTE,
  };
}

export async function inspectPreview(
  projectId: string,
  opts: { port: number; path?: string; signal?: AbortSignal; timeoutMs?: number },
): Promise<PreviewInspection> {
  const pagePath = opts.path && opts.path.startsWith("/") ? opts.path : `/${opts.path ?? ""}`;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const [page, logs] = await Promise.all([inspectPage({ port: opts.port, path: pagePath, signal: opts.signal, timeoutMs }), logErrors(projectId)]);
  if (!page) return { ...(await httpCheck(opts.port, pagePath, opts.signal, timeoutMs)), log_errors: logs };
  const ok = page.load_error === null && page.status !== null && page.status < 400 && page.page_errors.length === 0 && page.console_errors.length === 0;
  return {
    mode: "chromium",
    status: page.status,
    ok,
    title: page.title,
    text: page.text,
    console_errors: page.console_errors,
    page_errors: page.page_errors,
    failed_requests: page.failed_requests,
    log_errors: logs,
    ...(page.load_error ? { note: `The page did not load: ${page.load_error}.` } : {}),
    screenshot: page.screenshot,
  };
}
