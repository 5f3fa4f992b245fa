import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/server";

// The overview is built in this process from a real directory, through the same file layer the server uses.
const root = tempDir("slipway-overview-");
process.env.AUTH_SECRET = "overview-test-secret-0123456789-abcdefgh";
process.env.DATABASE_DIR = path.join(root, "data");
process.env.PROJECTS_DIR = path.join(root, "projects");
(await import("@/lib/env")).reloadEnv();

const { projectOverview, OVERVIEW_TOKENS } = await import("@/lib/agent/overview");
const { estimateTokens } = await import("@/lib/agent/tokens");
const { systemPrompt } = await import("@/lib/agent/system-prompt");
const files = await import("@/lib/files/service");
const { recordPreviewErrors } = await import("@/lib/preview/errors");

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function newProject(): { id: string; dir: string } {
  const id = randomUUID();
  const dir = path.join(root, "projects", id);
  fs.mkdirSync(dir, { recursive: true });
  return { id, dir };
}

/** 20,000 files: 40 feature folders of 250 files (two levels), one flat folder of 9,000, root files, plus node_modules. */
function hugeProject(dir: string) {
  for (let f = 0; f < 40; f++) {
    for (let s = 0; s < 5; s++) {
      const sub = path.join(dir, "src", `feature-${String(f).padStart(2, "0")}`, `part-${s}`);
      fs.mkdirSync(sub, { recursive: true });
      for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(sub, `file-${i}.js`), "");
    }
  }
  fs.mkdirSync(path.join(dir, "assets"));
  for (let i = 0; i < 9_000; i++) fs.writeFileSync(path.join(dir, "assets", `img-${i}.png`), "");
  for (let i = 0; i < 998; i++) fs.writeFileSync(path.join(dir, `root-${i}.txt`), "");
  fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html>");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ scripts: { dev: "vite --port 3000", build: "vite build" }, dependencies: { react: "19.3.1" }, devDependencies: { vite: "8.3.8" } }),
  );
  fs.mkdirSync(path.join(dir, "node_modules", "left-pad"), { recursive: true });
  fs.writeFileSync(path.join(dir, "node_modules", "left-pad", "index.js"), "");
}

describe("project overview in the system prompt", () => {
  it("stays within its token budget on a 20,000-file project and lists its top levels and package.json", async () => {
    const { id, dir } = newProject();
    hugeProject(dir);
    const started = performance.now();
    const overview = await projectOverview({ id, template: "vite-react" });
    const coldMs = performance.now() - started;
    const again = performance.now();
    const cached = await projectOverview({ id, template: "vite-react" });
    const cachedMs = performance.now() - again;
    if (process.env.SHOW_OVERVIEW) console.log(overview);
    console.log(
      `overview of a 20,000-file project: first build ${coldMs.toFixed(1)} ms, cached ${cachedMs.toFixed(3)} ms, ${overview.length} characters (~${estimateTokens(overview)} tokens)`,
    );

    expect(estimateTokens(overview)).toBeLessThanOrEqual(OVERVIEW_TOKENS);
    expect(cached).toBe(overview);
    expect(overview).toContain("Entry: index.html loads src/main.jsx"); // the vite-react template's notes
    expect(overview).toContain("scripts: dev = vite --port 3000, build = vite build");
    expect(overview).toContain("dependencies: react@19.3.1");
    expect(overview).toMatch(/^assets\/$/m);
    expect(overview).toMatch(/^src\/$/m);
    expect(overview).toMatch(/^ {2}feature-00\/$/m);
    expect(overview).toMatch(/… \d+ more$/m);
    expect(overview).not.toContain("node_modules/");
    expect(overview).not.toContain("left-pad");
    const prompt = systemPrompt({ projectName: "Huge", template: "vite-react", overview });
    expect(prompt).toContain(overview);
  });

  it("shows a file created through the files layer once the cached overview is rebuilt", async () => {
    const { id, dir } = newProject();
    fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html>");
    const first = await projectOverview({ id, template: "static" });
    expect(first).toContain("index.html");
    expect(first).not.toContain("contact.html");
    await files.writeProjectFile(id, "contact.html", "<p>hi</p>", { source: "agent" });
    // The stale copy answers at once while the fresh one is built.
    let latest = await projectOverview({ id, template: "static" });
    for (let i = 0; i < 50 && !latest.includes("contact.html"); i++) {
      await new Promise((r) => setTimeout(r, 20));
      latest = await projectOverview({ id, template: "static" });
    }
    expect(latest).toContain("contact.html");
  });

  it("never follows a symlink out of the project, and a FIFO or linked package.json is not read", async () => {
    const outside = tempDir("slipway-overview-outside-");
    fs.writeFileSync(path.join(outside, "host-secret.txt"), "");
    fs.writeFileSync(path.join(outside, "package.json"), JSON.stringify({ scripts: { leak: "host-script" } }));
    const { id, dir } = newProject();
    fs.symlinkSync(outside, path.join(dir, "hostdir"));
    fs.symlinkSync(path.join(outside, "package.json"), path.join(dir, "package.json"));
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    fs.writeFileSync(path.join(dir, "main.js"), "");
    const overview = await projectOverview({ id, template: "static" });
    expect(overview).toContain("hostdir (symlink)");
    expect(overview).toContain("main.js");
    expect(overview).not.toContain("host-secret");
    expect(overview).not.toContain("host-script");

    const { id: fifoId, dir: fifoDir } = newProject();
    execFileSync("mkfifo", [path.join(fifoDir, "package.json")]);
    const withFifo = await projectOverview({ id: fifoId, template: "static" });
    expect(withFifo).not.toContain("scripts:");
    expect(withFifo).toContain("package.json");
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it("lists the preview's current browser errors with their file and line", async () => {
    const { id, dir } = newProject();
    fs.writeFileSync(path.join(dir, "main.js"), "boom();");
    await recordPreviewErrors(
      id,
      [{ kind: "error", message: "ReferenceError: boom is not defined", source: "http://preview.test/main.js", line: 1, column: 1 }],
      "http://preview.test",
    );
    const overview = await projectOverview({ id, template: "static" });
    expect(overview).toContain("- error: ReferenceError: boom is not defined (main.js:1)");
  });
});
