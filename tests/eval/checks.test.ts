import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck, type CheckTarget } from "@/eval/lib/checks";
import { startHarness, type Harness } from "@/eval/lib/harness";
import { call, type ContainerView } from "@/eval/lib/project-api";
import { runScenario } from "@/eval/lib/run-scenario";
import changeTitle from "@/eval/scenarios/change-title";
import type { Check, Scenario } from "@/eval/types";
import { writeFile } from "../containers/support";
import { reply, text } from "../fixtures/scripted-llm/server";

/**
 * npm run eval's checks can fail: a scripted reply that claims success without changing the title fails the
 * change-title scenario, and each check kind, run against a real project's preview in Chromium and its container,
 * tells a page or project that meets it from one that does not.
 */

/** change-title with a script that only says it is done. */
const claimsOnly: Scenario = { ...changeTitle, name: "change-title-claims-only", script: [reply([text("Done: the title is now Harbor Lights Bakery.")])] };

describe("npm run eval checks", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ scenarios: [changeTitle, claimsOnly], scripted: true });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const run = (scenario: Scenario) => {
    harness.scripted!.load(scenario);
    return runScenario({
      slipway: harness.slipway,
      browser: harness.browser,
      scenario,
      model: harness.scripted!.modelFor(scenario),
      label: "scripted",
      turnTimeoutMs: 120_000,
      projects: harness.projects,
    });
  };

  it("passes change-title when the scripted agent edits the title, and deletes its project", async () => {
    const result = await run(changeTitle);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result).toMatchObject({ pass: true, failed: null, status: "complete", steps: 3, files_changed: ["index.html"] });
    expect(harness.projects.size).toBe(0);
    const left = await call<Array<{ id: string }>>(harness.slipway, "GET", "/api/v1/projects");
    expect(left).toEqual([]);
  }, 180_000);

  it("fails change-title when the scripted agent only claims it changed the title", async () => {
    const result = await run(claimsOnly);
    expect(result.pass).toBe(false);
    expect(result.status).toBe("complete");
    expect(result.failed).toMatch(/^file_contains index\.html: index\.html does not contain "Harbor Lights Bakery"/);
    const page = result.checks.find((c) => c.check === "page_text");
    expect(page?.ok).toBe(false);
    expect(page?.detail).toContain('not visible: "Harbor Lights Bakery"');
    expect(page?.detail).toContain("Hello from Slipway");
    // The unchanged template page raises no error: that check passes on its own merits.
    expect(result.checks.find((c) => c.check === "no_runtime_errors")?.ok).toBe(true);
  }, 180_000);

  describe("each check kind against a real project", () => {
    let projectId: string;
    const target = (): CheckTarget => ({ slipway: harness.slipway, projectId, browser: harness.browser, browserErrors: [], retries: 0 });
    const outcome = async (check: Check) => runCheck(target(), check);

    beforeAll(async () => {
      const project = await call<{ id: string }>(harness.slipway, "POST", "/api/v1/projects", { template: "static", name: "checks" });
      projectId = project.id;
      harness.projects.add(projectId);
      const files: Record<string, string> = {
        "index.html": `<!doctype html><html><head><title>Checks page</title></head><body>
<h1>Visible heading</h1><p style="display:none">Hidden words</p>
<p id="n">Clicks: 0</p><button id="b" type="button">Press me</button>
<script src="main.js"></script></body></html>
`,
        "main.js": `let n = 0;\ndocument.getElementById("b").addEventListener("click", () => { n += 1; document.getElementById("n").textContent = "Clicks: " + n; });\n`,
        "throws.html": `<!doctype html><html><head><title>Throws</title></head><body><h1>Throws</h1><script src="throws.js"></script></body></html>\n`,
        "throws.js": `throw new Error("eval-check-boom");\n`,
        "logs.html": `<!doctype html><html><head><title>Logs</title></head><body><h1>Logs</h1><script>console.error("eval-check-logged")</script></body></html>\n`,
      };
      for (const [file, content] of Object.entries(files)) await writeFile(harness.slipway.server, harness.slipway.auth, projectId, file, content);
      const container = await call<ContainerView>(harness.slipway, "POST", `/api/v1/projects/${projectId}/container/start`);
      expect(container.state).toBe("ready");
    });

    it("file_exists, file_contains and file_matches", async () => {
      await expect(outcome({ kind: "file_exists", path: "main.js" })).resolves.toEqual({ check: "file_exists main.js", ok: true });
      await expect(outcome({ kind: "file_exists", path: "missing.js" })).resolves.toMatchObject({ ok: false, detail: "missing.js does not exist" });
      await expect(outcome({ kind: "file_contains", path: "index.html", text: "Visible heading" })).resolves.toMatchObject({ ok: true });
      await expect(outcome({ kind: "file_contains", path: "index.html", text: "Harbor" })).resolves.toMatchObject({
        ok: false,
        detail: 'index.html does not contain "Harbor"',
      });
      await expect(outcome({ kind: "file_matches", path: "main.js", pattern: /addEventListener\("click"/ })).resolves.toMatchObject({ ok: true });
      await expect(outcome({ kind: "file_matches", path: "main.js", pattern: /localStorage/ })).resolves.toMatchObject({ ok: false });
      await expect(outcome({ kind: "file_contains", path: "gone.html", text: "x" })).resolves.toMatchObject({ ok: false, detail: "gone.html does not exist" });
    });

    it("page_text reads only visible text, after the actions, and the title", async () => {
      await expect(outcome({ kind: "page_text", text: ["Visible heading", "Clicks: 0"], title: "Checks page" })).resolves.toMatchObject({ ok: true });
      const hidden = await outcome({ kind: "page_text", text: ["Hidden words"] });
      expect(hidden).toMatchObject({ ok: false });
      expect(hidden.detail).toContain('not visible: "Hidden words"');
      await expect(outcome({ kind: "page_text", text: ["Visible heading"], title: "Another title" })).resolves.toMatchObject({
        ok: false,
        detail: 'title is "Checks page", not "Another title"',
      });
      const press = { click: 'role=button[name="Press me"]' };
      await expect(outcome({ kind: "page_text", actions: [press, press], text: ["Clicks: 2"] })).resolves.toMatchObject({ ok: true });
      await expect(outcome({ kind: "page_text", actions: [press], text: ["Clicks: 2"] })).resolves.toMatchObject({ ok: false });
      const noButton = await outcome({ kind: "page_text", actions: [{ click: 'role=button[name="Missing"]' }], text: ["Clicks: 0"] });
      expect(noButton.ok).toBe(false);
      expect(noButton.detail).toMatch(/^click role=button\[name="Missing"\] failed/);
    }, 120_000);

    it("no_runtime_errors passes a clean page and fails one that throws or logs an error", async () => {
      await expect(outcome({ kind: "no_runtime_errors" })).resolves.toEqual({ check: "no_runtime_errors", ok: true });
      const throws = await outcome({ kind: "no_runtime_errors", path: "/throws.html" });
      expect(throws).toMatchObject({ check: "no_runtime_errors /throws.html", ok: false });
      expect(throws.detail).toContain("uncaught Error: eval-check-boom");
      // The same error from Slipway's own preview error list, with the project file and line it points at.
      expect(throws.detail).toMatch(/preview error list: error .*eval-check-boom at throws\.js:1/);
      const logs = await outcome({ kind: "no_runtime_errors", path: "/logs.html" });
      expect(logs.ok).toBe(false);
      expect(logs.detail).toContain("console.error: eval-check-logged");
    }, 120_000);

    it("command must exit 0 and print the expected output", async () => {
      await expect(outcome({ kind: "command", command: "node --check main.js" })).resolves.toMatchObject({ ok: true });
      await expect(outcome({ kind: "command", command: "node --check throws.html" })).resolves.toMatchObject({ ok: false });
      await expect(outcome({ kind: "command", command: "echo partial; exit 3" })).resolves.toMatchObject({ ok: false, detail: "exit code 3; output: partial" });
      await expect(outcome({ kind: "command", command: "echo hello", output: "hello" })).resolves.toMatchObject({ ok: true });
      await expect(outcome({ kind: "command", command: "echo hello", output: /bye/ })).resolves.toMatchObject({ ok: false });
    }, 120_000);
  });
});
