import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { browserWorld, screenshot } from "./support";

/**
 * The preview's browser errors in the workbench: the agent writes a script that throws, the preview pane
 * shows "1 error in preview", and Fix with AI sends the error (message, file, code) as the next prompt.
 */
describe("preview errors in the workbench", () => {
  const world = browserWorld({ user: "alice" });
  const boom = `boom-${randomUUID().slice(0, 8)}`;

  it("shows the badge for a script error and Fix with AI sends it to the model", async () => {
    const { page, llm } = world;
    await page.getByTestId("new-project").click();
    await page.getByTestId("template-static").click();
    await page.getByTestId("project-name-input").fill("Broken site");
    await page.getByTestId("create-project-submit").click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    const preview = page.frameLocator('[data-testid="preview-frame"]');
    await preview.locator("h1").filter({ hasText: "Hello from Slipway" }).waitFor({ timeout: 120_000 });
    await expect(page.getByTestId("preview-errors-badge").count()).resolves.toBe(0);
    // Fix with AI is what this test is about: the automatic fix-up turns stay off (the toggle PATCHes auto_fix).
    const autoFix = page.getByTestId("auto-fix-toggle");
    await expect(autoFix.isChecked()).resolves.toBe(true);
    const saved = page.waitForResponse((r) => r.request().method() === "PATCH" && /\/api\/v1\/projects\/[0-9a-f-]{36}$/.test(r.url()));
    await autoFix.uncheck();
    expect((await saved).status()).toBe(200);

    llm.enqueue(
      reply([toolCall("write_file", { path: "main.js", content: `const greeting = "hi";\nconsole.log(greeting);\nthrow new Error("${boom}");\n` })]),
      reply([text("I added a greeting script.")]),
    );
    await page.getByTestId("chat-input").fill("Add a greeting script");
    await page.getByTestId("chat-send").click();
    await page.getByTestId("assistant-message").last().and(page.locator('[data-status="complete"]')).waitFor();
    // The turn's evidence: the preview looked at headless after the change, in red with the error, and a thumbnail.
    const evidence = page.getByTestId("assistant-message").last().getByTestId("turn-evidence");
    await expect(evidence.getAttribute("data-ok")).resolves.toBe("false");
    await expect(evidence.innerText()).resolves.toContain("Preview: 1 error");
    await expect(evidence.getByTestId("evidence-errors").innerText()).resolves.toContain(`${boom} (main.js:3)`);
    await evidence.getByTestId("evidence-thumbnail").click();
    const full = page.getByTestId("evidence-viewer").locator("img");
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 }).toBe(1024);
    await screenshot(page, "59-turn-evidence");
    await page.getByTestId("evidence-viewer").getByRole("button", { name: "Close" }).click();

    const badge = page.getByTestId("preview-errors-badge");
    await badge.waitFor({ timeout: 60_000 });
    await expect(badge.innerText()).resolves.toBe("1 error in preview");
    await badge.click();
    const item = page.getByTestId("preview-error");
    await expect(item.innerText()).resolves.toContain(boom);
    await expect(item.innerText()).resolves.toContain("main.js:3");
    await screenshot(page, "60-preview-errors-list");

    llm.enqueue(reply([text("The script throws on purpose; I will remove the throw.")]));
    const before = llm.requests.length;
    await page.getByTestId("preview-errors-fix").click();
    await page.getByTestId("assistant-message").last().filter({ hasText: "I will remove the throw" }).and(page.locator('[data-status="complete"]')).waitFor();
    const sent = llm.requests.slice(before).map((r) => JSON.stringify(r.body.messages.filter((m) => m.role === "user").at(-1)?.content));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]).toContain(boom);
    expect(sent[0]).toContain("main.js:3");
    expect(sent[0]).toContain("console.log(greeting);".replace(/"/g, '\\"'));
    await screenshot(page, "61-preview-errors-fix-sent");
  }, 240_000);
});
