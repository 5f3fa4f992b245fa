import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    // tests/.tmp holds the test servers' project folders: a project's files are never this suite's tests.
    exclude: ["**/node_modules/**", "tests/.tmp/**"],
    globalSetup: ["tests/global-setup.ts"],
    // Each file starts its own server (and containers) on a 2-core machine: run files one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
