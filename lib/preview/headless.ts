import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { singleton } from "@/lib/shared/singleton";
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from "./chromium-flags";

/**
 * Headless Chromium for looking at a project's preview as a user would: one browser per server process
 * (launched on first use, launched again if it died, closed when idle and on shutdown), a fresh context per
 * inspection.
 */

const headlessLog = log.child({ module: "headless" });
export const VIEWPORT = { width: 1024, height: 640 };
const TEXT_MAX = 1500;
const LIST_MAX = 10;

// Capped: at most one renderer and a 256 MB JavaScript heap.
const ARGS = [...CHROMIUM_ARGS, "--disable-dev-shm-usage", "--renderer-process-limit=1", "--js-flags=--max-old-space-size=256"];

// Closed after this long without an inspection: an idle Chromium still holds ~100 MB.
const IDLE_CLOSE_MS = 5 * 60_000;

/** The process's browser (launched or launching) and its idle timer. */
const shared = () => singleton("headless", () => ({ browser: null as Promise<Browser> | null, idle: undefined as NodeJS.Timeout | undefined }));

function closeWhenIdle(): void {
  clearTimeout(shared().idle);
  shared().idle = setTimeout(() => void closeHeadless(), IDLE_CLOSE_MS).unref();
}

/** The Chromium executable, or null when none is installed (callers fall back to a plain HTTP check). */
export function chromiumPath(): string | null {
  const configured = env().CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
  return fs.existsSync(configured) ? configured : null;
}

async function browser(executablePath: string): Promise<Browser> {
  const s = shared();
  const current = s.browser ? await s.browser.catch(() => null) : null;
  if (current?.isConnected()) return current;
  const launching = chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
  s.browser = launching;
  const forget = () => {
    if (s.browser === launching) s.browser = null;
  };
  launching.then((b) => b.on("disconnected", forget), forget);
  return launching;
}

/** Closes the shared browser (server shutdown). */
export async function closeHeadless(): Promise<void> {
  const s = shared();
  clearTimeout(s.idle);
  const current = s.browser;
  s.browser = null;
  const b = current ? await current.catch(() => null) : null;
  await b?.close().catch(() => undefined);
}

export interface PageError {
  message: string;
  stack: string | null;
}

export interface PageInspection {
  /** HTTP status of the page's document, null when the navigation failed. */
  status: number | null;
  title: string | null;
  /** The page's visible text, whitespace collapsed, at most TEXT_MAX characters. */
  text: string;
  console_errors: string[];
  page_errors: PageError[];
  failed_requests: string[];
  /** Why the page could not be loaded at all (timeout, connection refused), else null. */
  load_error: string | null;
  screenshot: Buffer | null;
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();
const push = <T>(list: T[], item: T) => {
  if (list.length < LIST_MAX) list.push(item);
};

/**
 * Loads `http://127.0.0.1:{port}{path}` in a fresh browser context and reports what a user would see: the
 * status, title, visible text, console errors, uncaught errors, failed requests and a JPEG screenshot.
 * Returns null when no Chromium is installed.
 */
export async function inspectPage(opts: {
  port: number;
  path?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  screenshot?: boolean;
}): Promise<PageInspection | null> {
  const executable = chromiumPath();
  if (!executable) return null;
  if (opts.signal?.aborted)
    return { status: null, title: null, text: "", console_errors: [], page_errors: [], failed_requests: [], load_error: "cancelled", screenshot: null };
  const timeoutMs = opts.timeoutMs ?? 20_000;
  clearTimeout(shared().idle);
  const b = await browser(executable);
  const context = await b.newContext({ viewport: VIEWPORT, serviceWorkers: "block" });
  const abort = () => void context.close().catch(() => undefined);
  opts.signal?.addEventListener("abort", abort, { once: true });
  const result: PageInspection = {
    status: null,
    title: null,
    text: "",
    console_errors: [],
    page_errors: [],
    failed_requests: [],
    load_error: null,
    screenshot: null,
  };
  try {
    const page = await context.newPage();
    const answeredWithError = new Set<string>();
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const source = m.location().url;
      // The browser asks for /favicon.ico on its own; a page without one is not broken.
      if (source.endsWith("/favicon.ico")) return;
      const text = collapse(m.text()).slice(0, 500);
      push(result.console_errors, text.startsWith("Failed to load resource") && source ? `${text}: ${source}` : text);
    });
    page.on("pageerror", (e) => push(result.page_errors, { message: e.message.slice(0, 2000), stack: e.stack?.slice(0, 4000) ?? null }));
    page.on("response", (r) => {
      if (r.status() < 400) return;
      answeredWithError.add(r.url());
      push(result.failed_requests, `${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
    });
    page.on("requestfailed", (r) => {
      if (!answeredWithError.has(r.url())) push(result.failed_requests, `${r.method()} ${r.url()}: ${r.failure()?.errorText ?? "failed"}`);
    });
    const pagePath = opts.path && opts.path.startsWith("/") ? opts.path : `/${opts.path ?? ""}`;
    try {
      const response = await page.goto(`http://127.0.0.1:${opts.port}${pagePath}`, { waitUntil: "load", timeout: timeoutMs });
      result.status = response?.status() ?? null;
    } catch (error) {
      result.load_error = opts.signal?.aborted
        ? "cancelled"
        : (error as Error).name === "TimeoutError"
          ? `timed out after ${Math.round(timeoutMs / 1000)} s`
          : "connection failed";
      return result;
    }
    // Scripts that throw on load have run by now; a short wait lets module graphs and first fetches settle.
    await page.waitForLoadState("networkidle", { timeout: 3000 }).catch(() => undefined);
    result.title = (await page.title().catch(() => "")) || null;
    result.text = collapse(
      await page
        .locator("body")
        .innerText({ timeout: 2000 })
        .catch(() => ""),
    ).slice(0, TEXT_MAX);
    if (opts.screenshot !== false) result.screenshot = await page.screenshot({ type: "jpeg", quality: 70, timeout: 5000 }).catch(() => null);
    return result;
  } catch (error) {
    headlessLog.warn("inspecting a page failed", { error: (error as Error).message });
    result.load_error ??= opts.signal?.aborted ? "cancelled" : "the browser failed";
    return result;
  } finally {
    opts.signal?.removeEventListener("abort", abort);
    await context.close().catch(() => undefined);
    closeWhenIdle();
  }
}
