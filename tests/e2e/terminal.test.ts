import { beforeAll, describe, expect, it } from "vitest";
import { requireEngine } from "../containers/support";
import { browserWorld, screenshot } from "./support";

/** The workbench's terminal in real Chromium: xterm.js over the terminal socket to a shell in the project's container. */
describe("workbench terminal", () => {
  beforeAll(requireEngine);
  const world = browserWorld({ user: "alice" });

  const rows = () => world.page.locator('[data-testid="terminal-view"] .xterm-rows > div').allInnerTexts();

  it("opens a terminal tab, runs a command typed into xterm and shows its output", async () => {
    const { page, server } = world;
    await page.goto(`${server.url}/projects/${await world.createProject("Terminal site")}`);
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
    const { page } = world;
    await page.getByRole("button", { name: "New terminal" }).click();
    await page.getByRole("tab", { name: "Terminal 2" }).waitFor();
    await page.locator('[data-testid="terminal-view"][data-state="open"]').nth(1).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="terminal-tab"][data-terminal="2"]').getByTestId("terminal-close").click();
    await expect(page.getByRole("tab", { name: "Terminal 2" }).count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="terminal-view"]').count()).resolves.toBe(1);
    await screenshot(page, "terminal-02-tabs");
  }, 90_000);
});
