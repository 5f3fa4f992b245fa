import { describe, expect, it } from "vitest";
import { browserWorld, screenshot } from "./support";

/**
 * The editor-like parts of the workbench in Chromium: the tree's context menu, open-file tabs with Ctrl+S,
 * Ctrl+P quick open, errors as toasts with the request id, remembered pane sizes. One page, steps in order.
 */
describe("workbench IDE polish", () => {
  const world = browserWorld({ user: "ivy" });
  let projectId: string;

  const row = (path: string) => world.page.locator(`[data-testid="tree-row"][data-path="${path}"]`);
  const tab = (path: string) => world.page.locator(`[data-testid="editor-tab"][data-path="${path}"]`);
  const onDisk = async (path: string) => {
    const res = await world.page.request.get(`${world.server.url}/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(path)}`);
    return res.status() === 200 ? ((await res.json()) as { data: { content: string } }).data.content : res.status();
  };
  const editorText = async () => (await world.page.locator('[data-testid="monaco-editor"] .view-lines').innerText()).replace(/\u00a0/g, " ");

  it("renames and deletes files from the tree's context menu, by mouse and by keyboard", async () => {
    const { page, server } = world;
    projectId = await world.createProject("Polish");
    await page.request.put(`${server.url}/api/v1/projects/${projectId}/files/content?path=notes.md`, { data: { content: "# Notes\n" } });
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.getByTestId("editor-empty").waitFor();

    await row("notes.md").click({ button: "right" });
    const menu = page.getByTestId("tree-context-menu");
    await menu.waitFor();
    await expect(menu.getByRole("menuitem").allInnerTexts()).resolves.toEqual(["New file", "New folder", "Rename…", "Delete", "Copy path", "Download"]);
    await screenshot(page, "ide-context-menu");
    await menu.getByTestId("menu-rename").click();
    const ask = page.getByTestId("ask-dialog");
    await expect(ask.getByTestId("ask-input").inputValue()).resolves.toBe("notes.md");
    await ask.getByTestId("ask-input").fill("docs/renamed.md");
    await screenshot(page, "ide-rename-dialog");
    await ask.getByTestId("ask-confirm").click();
    await row("docs").waitFor();
    await row("notes.md").waitFor({ state: "detached" });
    expect(await onDisk("docs/renamed.md")).toBe("# Notes\n");
    expect(await onDisk("notes.md")).toBe(404);

    // Keyboard only: focus the row, Shift+F10 opens the menu, arrows reach Delete, Enter, confirm in the dialog.
    await row("docs").click();
    await row("docs/renamed.md").waitFor();
    await row("docs/renamed.md").focus();
    await page.keyboard.press("Shift+F10");
    await menu.waitFor();
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("New file");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Delete");
    await page.keyboard.press("Enter");
    await ask.getByText("Delete docs/renamed.md?").waitFor();
    await page.keyboard.press("Escape");
    await ask.getByTestId("ask-confirm").waitFor({ state: "detached" });
    expect(await onDisk("docs/renamed.md")).toBe("# Notes\n");
    await row("docs/renamed.md").click({ button: "right" });
    await menu.getByTestId("menu-delete").click();
    await ask.getByTestId("ask-confirm").click();
    await row("docs/renamed.md").waitFor({ state: "detached" });
    expect(await onDisk("docs/renamed.md")).toBe(404);
  });

  it("keeps open files as tabs: switches, marks unsaved ones, saves with Ctrl+S, asks before closing a dirty one", async () => {
    const { page } = world;
    await row("index.html").click();
    await row("styles.css").click();
    await expect(page.getByTestId("editor-tab").count()).resolves.toBe(2);
    await expect.poll(editorText).toContain("{");
    await tab("index.html").getByRole("tab").click();
    await expect.poll(editorText).toContain("Hello from Slipway");

    await page.locator('[data-testid="monaco-editor"] .view-lines').click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText("<p>Saved by Ctrl+S</p>");
    await tab("index.html").getByTestId("dirty-marker").waitFor();
    await screenshot(page, "ide-tabs-dirty");
    await page.keyboard.press("Control+s");
    await tab("index.html").and(page.locator('[data-dirty="false"]')).waitFor();
    expect(await onDisk("index.html")).toContain("<p>Saved by Ctrl+S</p>");

    // A dirty tab asks before closing; Cancel keeps it, confirming drops the edit (the file on disk keeps the save).
    await page.keyboard.insertText("unsaved");
    await tab("index.html").getByTestId("dirty-marker").waitFor();
    await tab("index.html").getByTestId("tab-close").click();
    const ask = page.getByTestId("ask-dialog");
    await ask.getByTestId("ask-cancel").click();
    await expect(tab("index.html").count()).resolves.toBe(1);
    await tab("index.html").click({ button: "middle" });
    await ask.getByTestId("ask-confirm").click();
    await tab("index.html").waitFor({ state: "detached" });
    expect(await onDisk("index.html")).not.toContain("unsaved");
    // Middle-click closes a clean tab without asking.
    await tab("styles.css").click({ button: "middle" });
    await tab("styles.css").waitFor({ state: "detached" });
    await page.getByTestId("editor-empty").waitFor();
  });

  it("opens a file by name with Ctrl+P, also from inside the editor", async () => {
    const { page } = world;
    await row("index.html").focus();
    await page.keyboard.press("Control+p");
    const palette = page.getByTestId("quick-open");
    await palette.getByTestId("quick-open-input").fill("styl");
    await expect(palette.getByTestId("quick-open-item").first().getAttribute("data-path")).resolves.toBe("styles.css");
    await screenshot(page, "ide-quick-open");
    await page.keyboard.press("Enter");
    await tab("styles.css").waitFor();
    await palette.getByTestId("quick-open-input").waitFor({ state: "detached" });

    await page.locator('[data-testid="monaco-editor"] .view-lines').click();
    await page.keyboard.press("Control+p");
    await palette.getByTestId("quick-open-input").fill("indx");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await tab("index.html").locator('[role="tab"][aria-selected="true"]').waitFor();
    await expect.poll(editorText).toContain("Saved by Ctrl+S");
    // Opened again after closing without saving: the discarded edit is gone from the editor too.
    expect(await editorText()).not.toContain("unsaved");

    await page.keyboard.press("Control+p");
    await palette.getByTestId("quick-open-input").waitFor();
    await page.keyboard.press("Escape");
    await palette.getByTestId("quick-open-input").waitFor({ state: "detached" });
  });

  it("shows a failing action as a toast with the request id of the failed call", async () => {
    const { page } = world;
    const failed = page.waitForResponse((r) => r.url().includes("/files/content") && r.request().method() === "PUT");
    await page.getByTestId("new-file").click();
    const ask = page.getByTestId("ask-dialog");
    await ask.getByTestId("ask-input").fill("index.html");
    await ask.getByTestId("ask-confirm").click();
    const response = await failed;
    expect(response.status()).toBe(409);
    const requestId = response.headers()["x-request-id"];
    expect(requestId).toBeTruthy();
    const toast = page.locator('[data-testid="toast"][data-kind="error"]');
    await toast.waitFor();
    await expect(toast.getAttribute("role")).resolves.toBe("alert");
    await expect(toast.getByTestId("toast-request-id").innerText()).resolves.toBe(requestId);
    await screenshot(page, "ide-error-toast");
    await toast.getByRole("button", { name: "Dismiss notification" }).click();
    await toast.waitFor({ state: "detached" });
    expect(await onDisk("index.html")).toContain("Saved by Ctrl+S");
  });

  it("remembers the pane sizes across a reload", async () => {
    const { page, server } = world;
    await page.goto(`${server.url}/projects/${await world.createProject("Sizes")}`);
    const width = () => page.getByTestId("file-tree").evaluate((el) => Math.round(el.getBoundingClientRect().width));
    const before = await width();
    // The separator right of the files pane, moved with the keyboard as a user can.
    const separator = page.locator('[role="separator"]').nth(1);
    await separator.focus();
    for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(width).toBeGreaterThan(before + 20);
    const resized = await width();
    await page.reload();
    await page.getByTestId("file-tree").waitFor();
    // Sizes are kept as percentages: the same within a pixel of rounding.
    await expect.poll(async () => Math.abs((await width()) - resized)).toBeLessThanOrEqual(1);
    // Expected: the 409 of the failing step above, and a 502 of a new project's preview while its container starts.
    expect(world.errors.filter((e) => !e.includes("favicon") && !e.includes("status of 409") && !/status of 502 .*\.preview\.localhost/.test(e))).toEqual([]);
  });
});
