import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeInstanceContainers } from "../containers/support";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { startServer, type TestServer } from "../helpers/server";
import { launchBrowser, screenshot, signInLocally } from "./support";

/** A page reload in the middle of an answer: the chat resumes from the session's sequence numbers and loses nothing. */
describe("chat survives a reload mid-answer", () => {
  let llm: ScriptedLlm;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const llmEnv = () => ({ LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: "sk-test-e2e", MODEL_NAME: "gpt-4o-mini" });

  beforeAll(async () => {
    llm = await startScriptedLlm();
    server = await startServer({ env: llmEnv() });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    await signInLocally(page, server.url, "erin");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) await removeInstanceContainers(server.dataDir);
    await llm?.close();
  });

  it("shows the whole answer once after reloading while it streams", async () => {
    const created = (await (await page.request.post(`${server.url}/api/v1/projects`, { data: { name: "Resume", template: "static" } })).json()) as {
      data: { id: string };
    };
    await page.goto(`${server.url}/projects/${created.data.id}`);
    const first = "First half of the answer. ";
    const second = "Second half, streamed after the reload.";
    llm.enqueue(reply([text(first + second)], { prompt: 300, completion: 40 }, { textChunkChars: 5, pauseAfterChunks: 8, chunkDelayMs: 40 }));
    await page.getByTestId("chat-input").fill("Tell me something in two halves");
    await page.getByTestId("chat-send").click();
    await page.getByTestId("assistant-message").filter({ hasText: "First half" }).waitFor();

    await page.reload();
    await page.getByTestId("user-message").filter({ hasText: "Tell me something in two halves" }).waitFor();
    await page.getByTestId("assistant-message").filter({ hasText: "First half" }).waitFor();
    llm.release();
    const done = page.locator('[data-testid="assistant-message"][data-status="complete"]');
    await done.waitFor();
    await expect(done.innerText()).resolves.toContain(first + second);
    await expect(page.getByTestId("user-message").count()).resolves.toBe(1);
    await expect(page.getByTestId("assistant-message").count()).resolves.toBe(1);
    await screenshot(page, "09-chat-after-reload");

    // And a later reload shows the stored conversation, again exactly once.
    await page.reload();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: second }).waitFor();
    await page.waitForTimeout(500);
    await expect(page.getByTestId("assistant-message").count()).resolves.toBe(1);
    await expect(page.getByTestId("user-message").count()).resolves.toBe(1);
  });

  it("shows the turn's end after the server restarts mid-answer, without a reload", async () => {
    const created = (await (await page.request.post(`${server.url}/api/v1/projects`, { data: { name: "Restart", template: "static" } })).json()) as {
      data: { id: string };
    };
    await page.goto(`${server.url}/projects/${created.data.id}`);
    llm.enqueue(reply([text("Words before the restart, and never the rest")], undefined, { textChunkChars: 6, hangAfterChunks: 5 }));
    await page.getByTestId("chat-input").fill("Start something long");
    await page.getByTestId("chat-send").click();
    await page.getByTestId("assistant-message").filter({ hasText: "Words before" }).waitFor();

    // A clean stop stores the turn as failed; the same server comes back on the same port and data directory.
    expect(await server.stop("SIGTERM")).toBe(0);
    server = await startServer({ env: llmEnv(), dataDir: server.dataDir, port: server.port });
    const ended = page.locator('[data-testid="assistant-message"][data-status="failed"]');
    await ended.filter({ hasText: "The server stopped during this turn" }).waitFor();
    await expect(ended.innerText()).resolves.toContain("Words before");
    await expect(page.getByTestId("assistant-message").count()).resolves.toBe(1);
    await expect(page.getByTestId("chat-error").isVisible()).resolves.toBe(false);
    // The rest of the workbench is back too: the log stream reconnected and the preview reloaded.
    await expect.poll(() => page.getByTestId("logs-output").innerText(), { timeout: 30_000 }).toContain("static dev server");
    await expect(page.getByTestId("logs-output").innerText()).resolves.not.toContain("log stream ended");
    await page.frameLocator('[data-testid="preview-frame"]').locator("h1").filter({ hasText: "Hello from Slipway" }).waitFor();
    await screenshot(page, "09b-chat-after-server-restart");

    // The chat goes on in the same session.
    llm.enqueue(reply([text("Picking up where we left off.")]));
    await page.getByTestId("chat-input").fill("Go on");
    await page.getByTestId("chat-send").click();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: "Picking up" }).waitFor();
    expect(
      llm.requests
        .at(-1)!
        .body.messages.filter((m) => m.role === "assistant")
        .map((m) => String(m.content))[0],
    ).toContain("The server stopped during this turn");
  });
});
