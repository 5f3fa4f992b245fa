import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { onTestFailed } from "vitest";

export const ARTIFACTS = path.resolve("test-artifacts/e2e");

/** Debian's Chromium, headless (see machine notes: no browser download is possible here). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync("/usr/bin/chromium")) throw new Error("These tests need Chromium: apt-get install -y chromium");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
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
 * Clicks something that opens a native prompt/confirm and answers it. Waiting for the dialog inside the
 * test (rather than a fire-and-forget listener) makes a dialog that never came, or went, fail this step.
 */
export async function clickAndAcceptDialog(page: Page, target: Locator, promptText?: string) {
  for (let attempt = 1; ; attempt++) {
    // Answered from inside the event (not a microtask later, as after waitForEvent).
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no dialog within 15 s")), 15_000);
      page.once("dialog", (d) => {
        clearTimeout(timer);
        d.accept(promptText).then(resolve, reject);
      });
    });
    try {
      await Promise.all([answered, target.click()]);
      return;
    } catch (error) {
      // Under CI load Chromium has twice closed the dialog before the answer reached it ("No dialog is showing");
      // page code cannot close its own native dialog, and a closed prompt or confirm did nothing, so click again once.
      if (attempt >= 2 || !String(error).includes("No dialog is showing")) throw error;
    }
  }
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
