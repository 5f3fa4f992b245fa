/** Debian's Chromium (the test command installs it; CHROMIUM_PATH points elsewhere for the server). */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** How every Slipway Chromium runs (the server's headless checks, the e2e tests, the eval): headless, no GPU, quiet. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
