import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { removeInstanceContainers } from "../containers/support";
import { reply, startScriptedLlm, text, toolCall, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { makeImage } from "../helpers/images";
import { startServer, type TestServer } from "../helpers/server";
import { collectPageErrors, launchBrowser, reportFailure, screenshot, signInLocally } from "./support";

/** The home page leads with "What do you want to build?": one prompt creates the project and the workbench follows its first turn. */
describe("prompt-first start in the browser", () => {
  let llm: ScriptedLlm;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  const preview = () => page.frameLocator('[data-testid="preview-frame"]');

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

  it("a prompt typed on the home page opens the workbench on the streaming turn, and the preview shows the agent's page", async () => {
    await signInLocally(page, server.url, "alice");
    const input = page.getByTestId("prompt-input");
    await input.waitFor();
    await expect(page.getByText("What do you want to build?").isVisible()).resolves.toBe(true);
    // An example fills the box.
    const example = page.getByTestId("prompt-examples").getByRole("button").first();
    const exampleText = await example.innerText();
    await example.click();
    await expect(input.inputValue()).resolves.toBe(exampleText);

    const prompt = "A simple HTML page that says Hello from a prompt";
    await input.fill(prompt);
    await page.getByTestId("prompt-model").selectOption({ index: 0 }); // the server default
    await page.getByTestId("empty-state").waitFor();
    await screenshot(page, "20-prompt-start-home");

    llm.enqueue(
      reply(
        [
          text("I'll write the page with your greeting. "),
          toolCall("write_file", {
            path: "index.html",
            content: "<!doctype html><html><head><title>Hello</title></head><body><h1>Hello from a prompt</h1></body></html>\n",
          }),
        ],
        { prompt: 400, completion: 60 },
        { textChunkChars: 6, pauseAfterChunks: 3, chunkDelayMs: 30 },
      ),
      reply([text("Done: the page greets its visitors.")]),
    );
    await page.getByTestId("prompt-submit").click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}/);
    await page.getByTestId("user-message").filter({ hasText: prompt }).waitFor();
    // Held by the scripted model after its first chunks: the answer is streaming in the workbench.
    await page.locator('[data-testid="assistant-message"][data-status="streaming"]').filter({ hasText: "I'll" }).waitFor();
    expect(new URL(page.url()).search).toBe("");
    llm.release();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: "Done: the page greets its visitors." }).waitFor();
    await preview().locator("h1").filter({ hasText: "Hello from a prompt" }).waitFor({ timeout: 120_000 });
    await expect(page.getByTestId("user-message").count()).resolves.toBe(1);
    await screenshot(page, "21-prompt-start-workbench");

    // The dashboard lists the project, named after the prompt.
    await page.goto(server.url);
    await page.getByTestId("project-list").getByText("Simple HTML page that says Hello").waitFor();
  }, 180_000); // the first container start on a busy 2-core machine can take a minute

  it("an image pasted into the home page's prompt goes with the first message: the workbench shows it, the model receives it", async () => {
    await page.goto(server.url);
    const input = page.getByTestId("prompt-input");
    await input.waitFor();
    const png = Buffer.from(await makeImage("png", 6, 4)).toString("base64");
    await input.evaluate((el, base64) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "sketch.png", { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, png);
    await page.getByTestId("pending-attachment").waitFor();
    await input.fill("A static HTML page like this sketch");
    await screenshot(page, "22-prompt-start-with-image");
    const before = llm.requests.length;
    llm.enqueue(reply([text("A page like your sketch, coming up.")]));
    await page.getByTestId("prompt-submit").click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}/);
    await page.getByTestId("message-attachment").waitFor();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: "A page like your sketch" }).waitFor();
    const sent = llm.requests[before]!.body.messages.at(-1)!.content as Array<{ type: string; image_url?: { url: string } }>;
    expect(sent.map((p) => p.type)).toEqual(["text", "image_url"]);
    expect(sent[1]!.image_url!.url).toBe(`data:image/png;base64,${png}`);
  }, 120_000);

  it("without an LLM the home page says so inline, links to the model settings and creates nothing", async () => {
    const bare = await startServer();
    try {
      const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await signInLocally(other, bare.url, "bob");
      await other.getByTestId("prompt-input").fill("Build a landing page for my band");
      await other.getByTestId("prompt-submit").click();
      const error = other.getByTestId("prompt-error");
      await error.waitFor();
      await expect(error.innerText()).resolves.toContain("No LLM provider is configured");
      await expect(other.getByTestId("prompt-settings-link").getAttribute("href")).resolves.toBe("/settings#models");
      await other.getByTestId("empty-state").waitFor();
      expect(other.url()).toBe(`${bare.url}/`);
      await other.close();
    } finally {
      await bare.stop();
    }
  }, 120_000);
});
