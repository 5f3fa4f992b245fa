import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PLAN_MODE_TOOLS } from "@/lib/agent/plan-mode";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { startServer, type TestServer } from "../helpers/server";
import { collectPageErrors, launchBrowser, reportFailure, screenshot, signInLocally } from "./support";

/** The composer's Plan/Build switch and a plan answer's "Build this" in Chromium. */
describe("plan mode in the browser", () => {
  let llm: ScriptedLlm;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    llm = await startScriptedLlm();
    server = await startServer({
      env: { LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: "sk-test-e2e", MODEL_NAME: "gpt-4o-mini" },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    errors = collectPageErrors(page);
    await signInLocally(page, server.url, "pat");
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
    await llm?.close();
  });

  const toolsOf = (n: number) => llm.requests[n]!.body.tools!.map((t) => t.function.name).sort();

  it("sends a plan-mode message, shows the plan with Build this, and builds it as the next turn", async () => {
    const created = (await (
      await page.request.post(`${server.url}/api/v1/projects`, { data: { name: "Planning", template: "static", start_container: false } })
    ).json()) as {
      data: { id: string };
    };
    await page.goto(`${server.url}/projects/${created.data.id}`);

    await expect(page.getByTestId("chat-mode-build").getAttribute("aria-pressed")).resolves.toBe("true");
    await page.getByTestId("chat-mode-plan").click();
    await expect(page.getByTestId("chat-mode-plan").getAttribute("aria-pressed")).resolves.toBe("true");

    llm.enqueue(reply([text("Plan:\n1. Add a contact section to index.html.\n2. Style it in styles.css.")]));
    await page.getByTestId("chat-input").fill("Add a contact section");
    await page.getByTestId("chat-send").click();
    const plan = page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: "Style it in styles.css" });
    await plan.waitFor();
    await page.getByTestId("plan-mode-tag").waitFor();
    expect(toolsOf(0)).toEqual([...PLAN_MODE_TOOLS].sort());
    await screenshot(page, "plan-mode-answer");

    // Build this: the plan goes back as a build turn with every tool, and the switch is back on Build.
    llm.enqueue(reply([text("Built the contact section.")]));
    await plan.getByTestId("build-plan").click();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: "Built the contact section." }).waitFor();
    await expect(page.getByTestId("chat-mode-build").getAttribute("aria-pressed")).resolves.toBe("true");
    const build = llm.requests[1]!;
    expect(toolsOf(1)).toContain("write_file");
    expect(build.body.messages.at(-1)).toMatchObject({ role: "user", content: expect.stringMatching(/^Build this plan:\n\nPlan:\n1\. Add a contact section/) });
    await expect(page.getByTestId("build-plan").count()).resolves.toBe(1); // the build answer has none

    // After a reload the stored plan answer still offers Build this.
    await page.reload();
    await page.locator('[data-testid="assistant-message"]').filter({ hasText: "Style it in styles.css" }).getByTestId("build-plan").waitFor();
    expect(errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
