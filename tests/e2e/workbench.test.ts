import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reply, startScriptedLlm, text, toolCall, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { startServer, type TestServer } from "../helpers/server";
import { removeInstanceContainers } from "../containers/support";
import { clickAndAcceptDialog, collectPageErrors, launchBrowser, reportFailure, screenshot, signInLocally } from "./support";

/**
 * The whole product in real Chromium against the production build: sign in, create a project, watch the
 * agent (scripted LLM over the real wire format) change it, edit in Monaco, cancel, and read the usage.
 * The steps share one browser page and run in order.
 */
describe("browser IDE end to end", () => {
  let llm: ScriptedLlm;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let projectId: string;

  const preview = () => page.frameLocator('[data-testid="preview-frame"]');
  // Monaco renders spaces as no-break spaces.
  const editorText = async () => (await page.locator('[data-testid="monaco-editor"] .view-lines').innerText()).replace(/\u00a0/g, " ");

  beforeAll(async () => {
    llm = await startScriptedLlm();
    server = await startServer({
      env: { LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: "sk-test-e2e", MODEL_NAME: "gpt-4o-mini" },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    errors = collectPageErrors(page);
  });

  beforeEach((ctx) =>
    reportFailure(
      ctx,
      () => page,
      () => errors,
      () => server.output(),
    ),
  );

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) await removeInstanceContainers(server.dataDir);
    await llm?.close();
  });

  it("signs in locally and shows the empty dashboard", async () => {
    await page.goto(`${server.url}/signin`);
    await screenshot(page, "01-signin");
    await signInLocally(page, server.url, "alice");
    await page.getByTestId("empty-state").waitFor();
    await expect(page.getByTestId("whoami").innerText()).resolves.toBe("alice");
    await screenshot(page, "02-dashboard-empty");
  });

  it("creates a static project from the dialog and opens its workbench with the tree and the preview", async () => {
    await page.getByTestId("new-project").click();
    await page.getByTestId("template-static").click();
    await page.getByTestId("project-name-input").fill("My site");
    await screenshot(page, "03-create-dialog");
    await page.getByTestId("create-project-submit").click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    projectId = page.url().split("/").pop()!;
    await page.getByTestId("project-name").filter({ hasText: "My site" }).waitFor();
    await page.locator('[data-testid="tree-row"][data-path="index.html"]').waitFor();
    await page.locator('[data-testid="tree-row"][data-path="styles.css"]').waitFor();
    await preview().locator("h1").filter({ hasText: "Hello from Slipway" }).waitFor({ timeout: 120_000 });
    await expect(page.getByTestId("status-badge").first().innerText()).resolves.toBe("running");
    await screenshot(page, "04-workbench-template");
  }, 150_000); // the first container start on a busy 2-core machine can take a minute

  it("asks the agent for a change: the tree, the editor and the preview show it", async () => {
    llm.enqueue(
      reply(
        [
          text("I'll add an about page and change the heading."),
          toolCall("write_file", { path: "about.html", content: "<h1>About this site</h1>\n" }),
          toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Hello from the agent</h1>" }),
        ],
        { prompt: 1200, completion: 80 },
      ),
      reply([text("Done: **about.html** is new and the heading says hello from the agent.")], { prompt: 1400, completion: 20 }),
    );
    await page.getByTestId("chat-input").fill("Add an about page and change the heading");
    await page.getByTestId("chat-send").click();
    const answer = page.getByTestId("assistant-message").last();
    await answer.and(page.locator('[data-status="complete"]')).waitFor();
    await expect(answer.getByTestId("tool-card").count()).resolves.toBe(2);
    await expect(answer.getByTestId("message-usage").innerText()).resolves.toContain("2700 tokens");
    await expect(answer.locator("strong").innerText()).resolves.toBe("about.html");

    await page.locator('[data-testid="tree-row"][data-path="about.html"]').click();
    await page.locator('[data-testid="editor-tab"][data-path="about.html"]').waitFor();
    await expect.poll(editorText, { timeout: 30_000 }).toContain("About this site");
    await preview().locator("h1").filter({ hasText: "Hello from the agent" }).waitFor();
    await answer.getByTestId("tool-card").first().click();
    await screenshot(page, "05-workbench-after-agent");
  });

  it("edits a file in Monaco, saves with Ctrl+S, and the preview follows", async () => {
    await page.locator('[data-testid="tree-row"][data-path="index.html"]').click();
    await expect.poll(editorText).toContain("Hello from the agent");
    await page.locator('[data-testid="monaco-editor"] .view-lines').click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText("Edited in Monaco");
    await page.locator('[data-testid="editor-tab"][data-path="index.html"][data-dirty="true"]').waitFor();
    await page.keyboard.press("Control+s");
    await page.locator('[data-testid="editor-tab"][data-path="index.html"][data-dirty="false"]').waitFor();
    await expect(page.getByTestId("save-state").innerText()).resolves.toBe("Saved");
    await preview().locator("body").filter({ hasText: "Edited in Monaco" }).waitFor();
    const onDisk = await page.request.get(`${server.url}/api/v1/projects/${projectId}/files/content?path=index.html`);
    expect(((await onDisk.json()) as { data: { content: string } }).data.content).toContain("Edited in Monaco");
    await screenshot(page, "06-workbench-after-edit");
  });

  it("shows the agent's turn as a diff and undoes it: the files, the tree, the editor and the preview go back", async () => {
    const turn = page
      .getByTestId("assistant-message")
      .filter({ has: page.getByTestId("tool-card") })
      .first();
    await turn.getByTestId("show-turn-diff").click();
    const diff = page.getByTestId("diff-dialog");
    await diff.getByTestId("turn-diff").getByText("about.html").first().waitFor();
    await diff.getByText("Hello from the agent").first().waitFor();
    await screenshot(page, "06b-turn-diff");
    await diff.getByRole("button", { name: "Close" }).click();
    await diff.waitFor({ state: "hidden" });

    await clickAndAcceptDialog(page, turn.getByTestId("undo-turn"));
    await page.locator('[data-testid="tree-row"][data-path="about.html"]').waitFor({ state: "detached" });
    await preview().locator("h1").filter({ hasText: "Hello from Slipway" }).waitFor();
    await expect.poll(editorText).toContain("Hello from Slipway");
    // Back to before the turn: the agent's change and the later Monaco edit are both gone from disk.
    const onDisk = await page.request.get(`${server.url}/api/v1/projects/${projectId}/files/content?path=index.html`);
    const content = ((await onDisk.json()) as { data: { content: string } }).data.content;
    expect(content).toContain("Hello from Slipway");
    expect(content).not.toContain("Edited in Monaco");
    expect((await page.request.get(`${server.url}/api/v1/projects/${projectId}/files/content?path=about.html`)).status()).toBe(404);
    // The turn says it is undone, and offers no second undo; after a reload too (it is stored).
    await turn.getByTestId("turn-undone").waitFor();
    await expect(turn.getByTestId("undo-turn").count()).resolves.toBe(0);
    await screenshot(page, "06c-turn-undone");
    await page.reload();
    await turn.getByTestId("turn-undone").waitFor();
    await expect(turn.getByTestId("undo-turn").count()).resolves.toBe(0);
    await preview().locator("h1").filter({ hasText: "Hello from Slipway" }).waitFor();
  });

  it("cancels a long answer while it streams", async () => {
    const before = llm.requests.length;
    llm.enqueue(reply([text("A very long essay. ".repeat(400))], { prompt: 500, completion: 2000 }, { chunkDelayMs: 30, textChunkChars: 6 }));
    await page.getByTestId("chat-input").fill("Write a very long essay");
    await page.getByTestId("chat-send").click();
    const answer = page.getByTestId("assistant-message").last();
    await answer.filter({ hasText: "A very long essay." }).waitFor();
    await page.getByTestId("chat-cancel").click();
    await answer.and(page.locator('[data-status="cancelled"]')).waitFor();
    const request = await llm.waitForRequest(before + 1);
    await expect(request.closed).resolves.toEqual({ early: true });
    await page.getByTestId("chat-send").waitFor();
    await screenshot(page, "07-chat-cancelled");
  });

  it("shows the turn's tokens on the usage page", async () => {
    await page.getByRole("link", { name: "Usage" }).click();
    await page.getByTestId("usage").waitFor();
    const stats = (await (await page.request.get(`${server.url}/api/v1/tokens/stats`)).json()) as { data: { totals: { total_tokens: number } } };
    expect(stats.data.totals.total_tokens).toBeGreaterThanOrEqual(2700);
    await expect.poll(() => page.getByTestId("usage-total-tokens").innerText()).toBe(stats.data.totals.total_tokens.toLocaleString("en-US"));
    await page.getByTestId("usage-by-project").getByText("My site").first().waitFor();
    await screenshot(page, "08-usage");
    expect(errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
