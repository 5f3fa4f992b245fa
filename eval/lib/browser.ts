import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from "@/lib/preview/chromium-flags";

export const CHROMIUM_PATH = DEFAULT_CHROMIUM_PATH;

/** Debian's Chromium, headless, with Slipway's flags (lib/preview/chromium-flags.ts). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`npm run eval needs Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    // Playwright's own handlers would end the process on Ctrl+C once the browser is closed, before the eval's
    // clean-up (eval/run.ts) has deleted its projects and containers; that clean-up closes the browser itself.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
