import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, onTestFailed } from "vitest";
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from "@/lib/preview/chromium-flags";
import { removeInstanceContainers } from "../containers/support";
import { startScriptedLlm, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { startServer, type TestServer } from "../helpers/server";

export const ARTIFACTS = path.resolve("test-artifacts/e2e");

/** Debian's Chromium, headless (see machine notes: no browser download is possible here). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(DEFAULT_CHROMIUM_PATH)) throw new Error("These tests need Chromium: apt-get install -y chromium");
  return chromium.launch({ executablePath: DEFAULT_CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Signs in through the real sign-in page (local sign-in) and lands on the dashboard. */
export async function signInLocally(page: Page, baseUrl: string, name: string) {
  await page.goto(`${baseUrl}/signin`);
  await page.getByTestId("local-signin").getByRole("textbox", { name: "Name" }).fill(name);
  await page.getByRole("button", { name: "Sign in locally" }).click();
  await page.getByTestId("dashboard").waitFor();
}

/** Collects what the page logs as errors, so a failing step can show them. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  return errors;
}

/**
 * Clicks something that asks in the app's own dialog (components/ui/ask.tsx) and answers it: `promptText`
 * replaces the text of a question that asks for one, then the confirm button is pressed.
 */
export async function clickAndAcceptDialog(page: Page, target: Locator, promptText?: string) {
  await target.click();
  const dialog = page.getByTestId("ask-dialog");
  await dialog.getByTestId("ask-confirm").waitFor();
  if (promptText !== undefined) await dialog.getByTestId("ask-input").fill(promptText);
  await dialog.getByTestId("ask-confirm").click();
  await dialog.getByTestId("ask-confirm").waitFor({ state: "detached" });
}

/**
 * From a beforeEach: when the test fails, a screenshot named after it and the page's errors (and the
 * tail of the server's output when given) — getters, since the page and server come from beforeAll.
 */
export function reportFailure(ctx: { task: { name: string } }, page: () => Page, errors: () => string[], serverOutput?: () => string) {
  onTestFailed(async () => {
    await screenshot(page(), `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => undefined);
    console.error(`page errors:\n${errors().join("\n")}${serverOutput ? `\nserver output (tail):\n${serverOutput().slice(-4000)}` : ""}`);
  });
}

export interface BrowserWorld {
  llm: ScriptedLlm;
  server: TestServer;
  browser: Browser;
  page: Page;
  /** What the page logged as errors so far. */
  errors: string[];
  /**
   * Stops the server, lets `seed` change its stopped database (a DuckDB file has one writer), and starts it again
   * on the same port and data directory, so the page's session cookie stays valid.
   */
  restartServer: (seed: (dataDir: string) => Promise<void>) => Promise<void>;
  /** Creates a project through the API as the signed-in user (a static site unless `body` says otherwise) and returns its id. */
  createProject: (name: string, body?: Record<string, unknown>) => Promise<string>;
}

/**
 * The shared setup of a browser test, registered as the describe block's hooks: a scripted LLM, the production
 * server pointed at it, Chromium with one 1440x900 page, signed in locally as `user`; a failing test leaves a
 * screenshot and the page's errors; everything (the project containers too) is removed afterwards. The returned
 * object is filled in by beforeAll, so read its fields inside tests.
 */
export function browserWorld(opts: { user?: string; env?: Record<string, string> } = {}): BrowserWorld {
  const world = { errors: [] as string[] } as BrowserWorld;
  const env = () => ({
    LLM_PROVIDER: "openai-compatible",
    OPENAI_BASE_URL: world.llm.baseURL,
    OPENAI_API_KEY: "sk-test-e2e",
    MODEL_NAME: "gpt-4o-mini",
    ...opts.env,
  });
  beforeAll(async () => {
    world.llm = await startScriptedLlm();
    world.server = await startServer({ env: env() });
    world.browser = await launchBrowser();
    // A page of its own context (not browser.newPage()): axe-core opens a second page in it to combine frame results.
    world.page = await (await world.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    world.page.setDefaultTimeout(30_000);
    world.errors = collectPageErrors(world.page);
    await signInLocally(world.page, world.server.url, opts.user ?? "alice");
  }, 120_000);
  beforeEach((ctx) =>
    reportFailure(
      ctx,
      () => world.page,
      () => world.errors,
      () => world.server.output(),
    ),
  );
  afterAll(async () => {
    await world.browser?.close();
    await world.server?.stop();
    if (world.server) await removeInstanceContainers(world.server.dataDir);
    await world.llm?.close();
  });
  world.restartServer = async (seed) => {
    const { port, dataDir } = world.server;
    const code = await world.server.stop();
    if (code !== 0) throw new Error(`the server exited with ${code}`);
    await seed(dataDir);
    world.server = await startServer({ env: env(), dataDir, port });
  };
  world.createProject = async (name, body) => {
    const res = await world.page.request.post(`${world.server.url}/api/v1/projects`, { data: { name, template: "static", ...body } });
    if (!res.ok()) throw new Error(`creating ${name}: ${res.status()} ${await res.text()}`);
    return ((await res.json()) as { data: { id: string } }).data.id;
  };
  return world;
}
