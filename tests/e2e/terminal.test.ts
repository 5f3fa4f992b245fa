import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server";
import { removeInstanceContainers, requireEngine } from "../containers/support";
import { collectPageErrors, launchBrowser, reportFailure, screenshot, signInLocally } from "./support";

/** The workbench's terminal in real Chromium: xterm.js over the terminal socket to a shell in the project's container. */
describe("workbench terminal", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    await requireEngine();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    errors = collectPageErrors(page);
  });

  beforeEach((ctx) => reportFailure(ctx, () => page, () => errors, () => server.output()));

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) await removeInstanceContainers(server.dataDir);
  });

  const rows = () => page.locator('[data-testid="terminal-view"] .xterm-rows > div').allInnerTexts();

  it("opens a terminal tab, runs a command typed into xterm and shows its output", async () => {
    await signInLocally(page, server.url, "alice");
    const created = await page.request.post(`${server.url}/api/v1/projects`, { data: { template: "static", name: "Terminal site" } });
    expect(created.status()).toBe(201);
    const { id } = ((await created.json()) as { data: { id: string } }).data;
    await page.goto(`${server.url}/projects/${id}`);
    await page.getByRole("tab", { name: "Terminal 1" }).click();
    await page.locator('[data-testid="terminal-view"][data-state="open"]').waitFor({ timeout: 150_000 });
    await page.locator('[data-testid="terminal-view"] .xterm').click();
    await page.keyboard.type("echo hi-from-$((6*7))-xterm");
    await page.keyboard.press("Enter");
    // The typed line shows the expression; only the shell's answer has it evaluated, on a row of its own.
    await expect.poll(async () => (await rows()).map((r) => r.replace(/\u00a0/g, " ").trim()), { timeout: 30_000 }).toContain("hi-from-42-xterm");
    await screenshot(page, "terminal-01-echo");
  }, 240_000);

  it("opens a second terminal with the + button and closes it again", async () => {
    await page.getByRole("button", { name: "New terminal" }).click();
    await page.getByRole("tab", { name: "Terminal 2" }).waitFor();
    await page.locator('[data-testid="terminal-view"][data-state="open"]').nth(1).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="terminal-tab"][data-terminal="2"]').getByTestId("terminal-close").click();
    await expect(page.getByRole("tab", { name: "Terminal 2" }).count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="terminal-view"]').count()).resolves.toBe(1);
    await screenshot(page, "terminal-02-tabs");
  }, 90_000);
});
