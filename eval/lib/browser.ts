import fs from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Debian's Chromium, headless, with the flags the e2e tests use (tests/e2e/support.ts). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`npm run eval needs Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * A fresh browser context signed in to one project's private preview: it opens the owner's short-lived
 * `preview_auth_url`, which sets the preview cookie on the preview host.
 */
export async function previewContext(browser: Browser, previewAuthUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    const res = await page.goto(previewAuthUrl, { waitUntil: "commit", timeout: 60_000 });
    if (!res) throw new Error("the preview sign-in URL gave no response");
  } finally {
    await page.close();
  }
  return context;
}
