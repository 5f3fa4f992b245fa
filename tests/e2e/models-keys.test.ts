import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { removeInstanceContainers } from "../containers/support";
import { startScriptedLlm, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { startServer, type TestServer } from "../helpers/server";
import { collectPageErrors, launchBrowser, reportFailure, screenshot, signInLocally } from "./support";

const USER_KEY = "sk-e2e-own-provider-key-0123456789-wxyz";

/** Settings → Models & keys: a user adds an OpenAI-compatible server with a key, tests it, and removes it. */
describe("models and keys in the browser", () => {
  let server: TestServer;
  let llm: ScriptedLlm;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    llm = await startScriptedLlm({ apiKey: USER_KEY, models: ["local-coder", "local-chat", "local-vision"] });
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    errors = collectPageErrors(page);
    await signInLocally(page, server.url, "erin");
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

  it("adds a key for an OpenAI-compatible server, tests it and sees the models counted", async () => {
    await page.goto(`${server.url}/settings#models`);
    const card = page.getByTestId("provider-openai-compatible");
    await expect.poll(() => card.getByTestId("provider-status").innerText()).toBe("Not configured");
    await card.getByTestId("provider-base-url").fill(llm.baseURL);
    await card.getByTestId("provider-key").fill(USER_KEY);
    expect(await card.getByTestId("provider-key").getAttribute("type")).toBe("password");
    await card.getByTestId("provider-test").click();
    await expect.poll(() => card.getByTestId("provider-test-result").innerText()).toMatch(/^OK · \d+ ms · 3 models$/);
    expect(await card.getByTestId("provider-status").innerText()).toMatch(/^Your key ····wxyz · tested /);
    expect(await card.getByTestId("provider-key").inputValue()).toBe("");
    expect(llm.modelListAuthorizations.at(-1)).toBe(`Bearer ${USER_KEY}`);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "30-models-and-keys");

    await page.reload();
    await expect.poll(() => card.getByTestId("provider-status").innerText()).toMatch(/^Your key ····wxyz/);
    expect(await page.content()).not.toContain(USER_KEY);
  });

  it("shows the provider's own error for a key it refuses, then removes the settings", async () => {
    const card = page.getByTestId("provider-openai-compatible");
    await card.getByTestId("provider-key").fill("sk-e2e-a-key-the-server-refuses");
    await card.getByTestId("provider-test").click();
    await expect.poll(() => card.getByTestId("provider-test-result").innerText()).toContain("Failed: 401: Incorrect API key provided");
    await card.getByTestId("provider-remove").click();
    await expect.poll(() => card.getByTestId("provider-status").innerText()).toBe("Not configured");
  });

  it("with no provider at all, the chat's notice links to Settings → Models & keys", async () => {
    // This server has no LLM settings and nothing answers on Ollama's port; erin removed her own above.
    const created = await page.evaluate(async () => {
      const res = await fetch("/api/v1/projects", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ template: "static", name: "No model yet" }),
      });
      return { status: res.status, body: (await res.json()) as { data: { id: string } } };
    });
    expect(created.status).toBe(201);
    // The chat's session list (asked for as the page opens) is held until the refusal is shown: a list that comes
    // late must not clear the notice or the message it answers.
    const sessions = `**/api/v1/projects/${created.body.data.id}/sessions*`;
    let releaseList!: () => void;
    const listHeld = new Promise<void>((resolve) => (releaseList = resolve));
    const delivered: Promise<void>[] = [];
    await page.route(sessions, (route) => {
      const delivery = route.fetch().then(async (response) => {
        await listHeld;
        await route.fulfill({ response });
      });
      delivered.push(delivery);
      return delivery;
    });
    await page.goto(`${server.url}/projects/${created.body.data.id}`);
    await page.getByTestId("chat-input").fill("Make me a landing page");
    await page.getByTestId("chat-send").click();
    await expect.poll(() => page.getByTestId("chat-error").innerText()).toContain("Settings → Models & keys");
    expect(delivered.length).toBeGreaterThan(0);
    releaseList();
    await Promise.all(delivered);
    await page.unroute(sessions);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.getByTestId("chat-error").innerText()).toContain("Settings → Models & keys");
    expect(await page.getByTestId("user-message").filter({ hasText: "Make me a landing page" }).count()).toBe(1);
    await screenshot(page, "31-chat-no-model-configured");
    await page.getByTestId("chat-settings-link").click();
    await page.waitForURL(/\/settings#models$/);
    await page.getByTestId("provider-openai-compatible").waitFor();
  });
});
