import type { Browser, BrowserContext, Page } from "playwright-core";
import { ERRORS_PATH } from "@/lib/preview/paths";
import type { Check, PageAction } from "../types";
import { call, readProjectFile, type ContainerView, type ExecResult, type PreviewError, type Slipway } from "./project-api";

/** What the checks of one scenario run against: its project, through Slipway's API and its preview. */
export interface CheckTarget {
  slipway: Slipway;
  projectId: string;
  browser: Browser;
  /** Errors Chromium saw on the preview's pages during this scenario's page checks (no_runtime_errors reads them too). */
  browserErrors: string[];
  /** Page loads run again after a transient failure (see withPreviewPage). */
  retries: number;
}

export interface CheckResult {
  /** The check's short name, e.g. `page_text /about.html`. */
  check: string;
  ok: boolean;
  /** Why it failed. */
  detail?: string;
}

/** How long a page check waits for its text to appear (React renders after the modules load). */
const TEXT_WAIT_MS = 15_000;
/** How long an action waits for its element. */
const ACTION_WAIT_MS = 10_000;

const show = (v: string | RegExp) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const matches = (haystack: string, needle: string | RegExp) => (typeof needle === "string" ? haystack.includes(needle) : needle.test(haystack));
const cut = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function checkLabel(check: Check): string {
  switch (check.kind) {
    case "file_exists":
    case "file_contains":
    case "file_matches":
      return `${check.kind} ${check.path}`;
    case "page_text":
    case "no_runtime_errors":
      return `${check.kind}${check.path && check.path !== "/" ? ` ${check.path}` : ""}`;
    case "command":
      return `command \`${cut(check.command, 40)}\``;
  }
}

/** How long a check may take in all: a browser or container that stops answering fails the check instead of the run. */
const deadlineOf = (check: Check) => (check.kind === "command" ? (check.timeout_ms ?? 60_000) + 30_000 : 240_000);

export async function runCheck(target: CheckTarget, check: Check): Promise<CheckResult> {
  const label = checkLabel(check);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deadlineOf(check) / 1000} s`)), deadlineOf(check));
  });
  try {
    const detail = await Promise.race([failureOf(target, check), deadline]);
    return detail === null ? { check: label, ok: true } : { check: label, ok: false, detail };
  } catch (error) {
    return { check: label, ok: false, detail: cut((error as Error).message.split("\n")[0] ?? String(error), 300) };
  } finally {
    clearTimeout(timer);
  }
}

/** Null when the check holds, else why it does not. */
async function failureOf(target: CheckTarget, check: Check): Promise<string | null> {
  switch (check.kind) {
    case "file_exists":
      return (await readProjectFile(target.slipway, target.projectId, check.path)) === null ? `${check.path} does not exist` : null;
    case "file_contains":
    case "file_matches": {
      const content = await readProjectFile(target.slipway, target.projectId, check.path);
      if (content === null) return `${check.path} does not exist`;
      const wanted = check.kind === "file_contains" ? check.text : check.pattern;
      return matches(content, wanted) ? null : `${check.path} does not ${check.kind === "file_contains" ? "contain" : "match"} ${show(wanted)}`;
    }
    case "page_text":
      return pageTextFailure(target, check);
    case "no_runtime_errors":
      return runtimeErrorsFailure(target, check.path ?? "/");
    case "command": {
      const timeoutMs = check.timeout_ms ?? 60_000;
      const result = await call<ExecResult>(
        target.slipway,
        "POST",
        `/api/v1/projects/${target.projectId}/container/exec`,
        { command: check.command, timeout_ms: timeoutMs },
        timeoutMs + 20_000,
      );
      if (result.timed_out) return `timed out; output: ${cut(result.output.trim(), 300)}`;
      if (result.exit_code !== 0) return `exit code ${result.exit_code}; output: ${cut(result.output.trim(), 300)}`;
      if (check.output !== undefined && !matches(result.output, check.output))
        return `output does not show ${show(check.output)}: ${cut(result.output.trim())}`;
      return null;
    }
  }
}

/** Chromium aborts its requests with this when the host's network interfaces change (Docker adds one per container). */
const NETWORK_CHANGED = "net::ERR_NETWORK_CHANGED";
const ATTEMPTS = 3;

/**
 * Opens `path` of the project's preview in a fresh browser context, signed in as its owner through the short-lived
 * `preview_auth_url` (which sets the preview cookie and redirects to `next`), as the workbench's iframe is. What
 * Chromium reports as errors goes to `target.browserErrors` too.
 *
 * An attempt during which Chromium aborted a request because the host's network changed (a container started or
 * stopped anywhere on the machine), or the preview proxy answered a request with 502-504 (the dev server did not
 * answer it), is discarded and run again after a second, up to 3 times: a user would reload. A dev server that
 * stays down fails all three.
 */
async function withPreviewPage<T>(
  target: CheckTarget,
  path: string,
  inPage: (page: Page, errors: string[], load: () => Promise<void>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await previewAttempt(target, path, inPage);
    if (!outcome.transient || attempt === ATTEMPTS) {
      target.browserErrors.push(...outcome.errors.map((e) => `${e} (on ${path})`));
      if ("error" in outcome) throw outcome.error;
      return outcome.value;
    }
    target.retries++;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

type Attempt<T> = { errors: string[]; transient: boolean } & ({ value: T } | { error: unknown });

async function previewAttempt<T>(
  target: CheckTarget,
  path: string,
  inPage: (page: Page, errors: string[], load: () => Promise<void>) => Promise<T>,
): Promise<Attempt<T>> {
  const container = await call<ContainerView>(target.slipway, "GET", `/api/v1/projects/${target.projectId}/container`);
  const signIn = new URL(container.preview_auth_url);
  signIn.searchParams.set("next", path);
  const context = await target.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  let transient = false;
  try {
    const page = await context.newPage();
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText === NETWORK_CHANGED) transient = true;
    });
    page.on("response", (r) => {
      if (r.status() >= 502 && r.status() <= 504) transient = true;
    });
    page.on("pageerror", (e) => errors.push(`uncaught ${e.name}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      if (m.text().includes(NETWORK_CHANGED)) transient = true;
      // Chromium asks every origin for /favicon.ico by itself: a missing one is not the app's error.
      else if (!m.location().url.endsWith("/favicon.ico")) errors.push(`console.error: ${m.text()}`);
    });
    const load = async () => {
      // The preview proxy answers 502 while the dev server cannot be reached; a user would reload: so does the check,
      // up to 3 times, forgetting the errors of the failed loads.
      for (let attempt = 1; ; attempt++) {
        const res = await page.goto(signIn.toString(), { waitUntil: "load", timeout: 60_000 });
        if (!res || res.status() < 502 || res.status() > 504) return;
        if (attempt === 3) throw new Error(`the preview answered ${res.status()}: ${cut((await res.text().catch(() => "")).trim(), 200)}`);
        errors.length = 0;
        await page.waitForTimeout(1000);
      }
    };
    try {
      const value = await inPage(page, errors, load);
      return { value, errors, transient };
    } catch (error) {
      return { error, errors, transient: transient || String(error).includes(NETWORK_CHANGED) };
    }
  } finally {
    await closeContext(context);
  }
}

/**
 * Leaves the preview first (ending its live-reload and HMR connections), then closes the context. Chromium has been
 * seen never to answer a context's disposal under load: after 10 s the context is left to the browser's own close.
 */
async function closeContext(context: BrowserContext) {
  const closing = (async () => {
    for (const page of context.pages()) await page.goto("about:blank", { timeout: 5_000 }).catch(() => undefined);
    await context.close();
  })().catch(() => undefined);
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
}

async function doAction(page: Page, action: PageAction) {
  if ("reload" in action) await page.reload({ waitUntil: "load" });
  else if ("click" in action) await page.locator(action.click).first().click({ timeout: ACTION_WAIT_MS });
  else if ("fill" in action) await page.locator(action.fill).first().fill(action.value, { timeout: ACTION_WAIT_MS });
  else await page.locator(action.press).first().press(action.key, { timeout: ACTION_WAIT_MS });
}

const actionLabel = (a: PageAction) =>
  "reload" in a ? "reload" : "click" in a ? `click ${a.click}` : "fill" in a ? `fill ${a.fill}` : `press ${a.key} in ${a.press}`;

async function pageTextFailure(target: CheckTarget, check: Extract<Check, { kind: "page_text" }>): Promise<string | null> {
  return withPreviewPage(target, check.path ?? "/", async (page, _errors, load) => {
    await load();
    for (const action of check.actions ?? []) {
      try {
        await doAction(page, action);
      } catch (error) {
        return `${actionLabel(action)} failed: ${cut((error as Error).message.split("\n")[0] ?? "", 200)}`;
      }
    }
    // Visible text only: innerText leaves out hidden elements, scripts and styles.
    let visible = "";
    let missing: Array<string | RegExp> = check.text;
    const deadline = Date.now() + TEXT_WAIT_MS;
    for (;;) {
      visible = await page.evaluate(() => document.body?.innerText ?? "").catch(() => "");
      missing = check.text.filter((t) => !matches(visible, t));
      if (missing.length === 0 || Date.now() > deadline) break;
      await page.waitForTimeout(250);
    }
    if (missing.length > 0) return `not visible: ${missing.map(show).join(", ")}; the page shows ${JSON.stringify(cut(visible.replace(/\s+/g, " ").trim()))}`;
    if (check.title !== undefined) {
      const title = await page.title();
      if (!matches(title, check.title) || (typeof check.title === "string" && title.trim() !== check.title))
        return `title is ${JSON.stringify(title)}, not ${show(check.title)}`;
    }
    return null;
  });
}

async function runtimeErrorsFailure(target: CheckTarget, path: string): Promise<string | null> {
  const earlier = [...target.browserErrors];
  const seen = await withPreviewPage(target, path, async (page, errors, load) => {
    // Slipway's injected reporter posts {type:"loaded"} 2 s after load, after its last batch of errors: once that
    // request is answered, the project's error list describes this page load.
    const loaded = page.waitForRequest((r) => r.url().endsWith(ERRORS_PATH) && (r.postData() ?? "").includes('"type":"loaded"'), { timeout: 60_000 });
    await load();
    const request = await loaded;
    await request.response();
    return [...errors];
  });
  const listed = (await call<{ errors: PreviewError[] }>(target.slipway, "GET", `/api/v1/projects/${target.projectId}/preview/errors`)).errors;
  const all = [
    ...earlier,
    ...seen.map((e) => `${e} (on ${path})`),
    ...listed.map((e) => `preview error list: ${e.kind} ${e.message}${e.file ? ` at ${e.file}${e.line ? `:${e.line}` : ""}` : ""}`),
  ];
  return all.length === 0 ? null : `${all.length} error(s): ${cut([...new Set(all)].slice(0, 3).join(" | "), 400)}`;
}
