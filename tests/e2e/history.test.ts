import { describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { browserWorld, screenshot } from "./support";

/**
 * The History tab in real Chromium: a chat turn changes a file, the tab lists it newest first with its prompt,
 * the diff shows the change in Monaco, and restoring the first version (confirmed once in the app's dialog)
 * brings the file back and puts a new version on top.
 */
describe("version history in the workbench", () => {
  const world = browserWorld({ user: "alice" });
  const entries = () => world.page.getByTestId("history-entry");
  // Monaco renders spaces as no-break spaces.
  const clean = (s: string) => s.replace(/\u00a0/g, " ");

  it("lists the turn's version on top, shows its diff, and restores the first version", async () => {
    const { page, llm } = world;
    await page.getByTestId("new-project").click();
    await page.getByTestId("template-static").click();
    await page.getByTestId("project-name-input").fill("History site");
    await page.getByTestId("create-project-submit").click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="tree-row"][data-path="index.html"]').waitFor();

    llm.enqueue(
      reply([toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Hello from history</h1>" })]),
      reply([text("Changed the heading.")]),
    );
    await page.getByTestId("chat-input").fill("Change the heading to history");
    await page.getByTestId("chat-send").click();
    await page.getByTestId("assistant-message").last().and(page.locator('[data-status="complete"]')).waitFor();

    await page.getByTestId("left-tab-history").click();
    await entries().first().filter({ hasText: "Change the heading to history" }).waitFor();
    await expect(entries().first().innerText()).resolves.toMatch(/1 file · \+1 −1/);
    const before = await entries().count();
    expect(before).toBeGreaterThanOrEqual(2);

    await entries().first().click();
    const dialog = page.getByTestId("history-dialog");
    await dialog.getByTestId("version-diff-file").filter({ hasText: "index.html" }).waitFor();
    // Monaco's diff editor: the old heading on the left, the new one on the right.
    const original = dialog.locator(".editor.original .view-lines");
    const modified = dialog.locator(".editor.modified .view-lines");
    await original.filter({ hasText: "Hello from Slipway" }).waitFor();
    await modified.filter({ hasText: "Hello from history" }).waitFor();
    expect(clean(await modified.innerText())).not.toContain("Hello from Slipway");
    // Monaco computed the change and marks it on both sides.
    await dialog.locator(".editor.modified .line-insert, .editor.modified .char-insert").first().waitFor();
    await dialog.locator(".editor.original .line-delete, .editor.original .char-delete").first().waitFor();
    await expect(dialog.getByRole("button", { name: "Restore this version" }).isDisabled()).resolves.toBe(true);
    await screenshot(page, "history-01-diff");
    await dialog.getByRole("button", { name: "Close" }).click();

    // The first version (the template): restore it, confirming once.
    await entries().last().click();
    await dialog.getByRole("button", { name: "Restore this version" }).click();
    const confirm = page.getByTestId("restore-confirm");
    await confirm.getByText("nothing is lost").waitFor();
    await screenshot(page, "history-02-confirm");
    await confirm.getByRole("button", { name: "Restore", exact: true }).click();
    await confirm.waitFor({ state: "hidden" });

    await entries().first().filter({ hasText: "Restore checkpoint" }).waitFor();
    await expect(entries().count()).resolves.toBe(before + 1);
    await expect(entries().first().innerText()).resolves.toMatch(/\+1 −1/);
    await screenshot(page, "history-03-restored");

    await page.getByTestId("left-tab-files").click();
    await page.locator('[data-testid="tree-row"][data-path="index.html"]').click();
    const editor = page.locator('[data-testid="monaco-editor"] .view-lines');
    await editor.filter({ hasText: "Hello from Slipway" }).waitFor();
    expect(clean(await editor.innerText())).not.toContain("Hello from history");
    const res = await page.request.get(`${page.url().replace(/\/projects\//, "/api/v1/projects/")}/files/content?path=index.html`);
    expect(((await res.json()) as { data: { content: string } }).data.content).toContain("<h1>Hello from Slipway</h1>");
  }, 180_000);
});
