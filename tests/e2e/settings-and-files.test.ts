import { describe, expect, it } from "vitest";
import { browserWorld, clickAndAcceptDialog, screenshot } from "./support";

/** Settings (API keys, theme, default model), dashboard rename/delete, tree operations and the 409 conflict prompt. */
describe("settings, dashboard and files in the browser", () => {
  const world = browserWorld({ user: "dana" });

  it("creates an API key shown once that works as a bearer token, then revokes it", async () => {
    const { page, server } = world;
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("settings").waitFor();
    await page.getByTestId("api-key-name").fill("ci");
    await page.getByTestId("api-key-create").click();
    const secret = (await page.getByTestId("api-key-secret").locator("code").innerText()).trim();
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    await page.getByTestId("api-key-row").filter({ hasText: "ci" }).waitFor();
    await screenshot(page, "10-settings");
    await clickAndAcceptDialog(page, page.getByRole("button", { name: "Revoke ci" }));
    await page.getByTestId("api-key-row").filter({ hasText: "ci" }).waitFor({ state: "detached" });
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  });

  it("shows a readable message, not JSON, when the API refuses", async () => {
    const { page } = world;
    await page.getByTestId("api-key-name").fill(" ");
    await page.getByTestId("api-key-name").evaluate((el: HTMLInputElement) => el.removeAttribute("required"));
    await page.getByTestId("api-key-create").click();
    const text = await page.getByTestId("api-keys").getByTestId("error").innerText();
    expect(text).toMatch(/name/i);
    expect(text).not.toContain("{");
  });

  it("keeps the theme choice across reloads", async () => {
    const { page } = world;
    const dark = () => page.evaluate(() => document.documentElement.classList.contains("dark"));
    const before = await dark();
    await page.getByTestId("theme-toggle").click();
    expect(await dark()).toBe(!before);
    await page.reload();
    await page.getByTestId("settings").waitFor();
    expect(await dark()).toBe(!before);
    await expect(page.evaluate(() => localStorage.getItem("slipway-theme"))).resolves.toBe(before ? "light" : "dark");
    await screenshot(page, "11-settings-theme");
  });

  it("renames and deletes a project from the dashboard, with a confirmation", async () => {
    const { page, server } = world;
    const res = await page.request.post(`${server.url}/api/v1/projects`, { data: { name: "Old name", template: "static" } });
    expect(res.status()).toBe(201);
    await page.getByRole("link", { name: "Projects" }).first().click();
    const row = page.getByTestId("project-row").filter({ hasText: "Old name" });
    await row.getByRole("button", { name: "Rename Old name" }).click();
    await page.getByTestId("rename-input").fill("New name");
    await page.getByTestId("rename-input").press("Enter");
    await page.getByTestId("project-row").filter({ hasText: "New name" }).waitFor();
    const list = (await (await page.request.get(`${server.url}/api/v1/projects`)).json()) as { data: Array<{ name: string }> };
    expect(list.data.map((p) => p.name)).toEqual(["New name"]);
    await page.getByTestId("project-row").filter({ hasText: "New name" }).getByTestId("delete-project").click();
    await page.getByTestId("delete-dialog").getByText("cannot be undone").waitFor();
    await screenshot(page, "12-dashboard-delete-confirm");
    await page.getByTestId("confirm-delete").click();
    await page.getByTestId("empty-state").waitFor();
    expect(((await (await page.request.get(`${server.url}/api/v1/projects`)).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("creates, renames and deletes files from the tree, and asks what to keep on a 409", async () => {
    const { page, server } = world;
    const created = (await (await page.request.post(`${server.url}/api/v1/projects`, { data: { name: "Files", template: "static" } })).json()) as {
      data: { id: string };
    };
    const id = created.data.id;
    const content = (p: string) => page.request.get(`${server.url}/api/v1/projects/${id}/files/content?path=${encodeURIComponent(p)}`);
    await page.goto(`${server.url}/projects/${id}`);
    await page.locator('[data-testid="tree-row"][data-path="index.html"]').waitFor();

    await clickAndAcceptDialog(page, page.getByTestId("new-file"), "notes.md");
    await page.locator('[data-testid="tree-row"][data-path="notes.md"]').waitFor();
    await page.locator('[data-testid="editor-tab"][data-path="notes.md"]').waitFor();

    await clickAndAcceptDialog(page, page.getByTestId("rename-file"), "docs/notes.md");
    await page.locator('[data-testid="tree-row"][data-path="docs"]').click();
    await page.locator('[data-testid="tree-row"][data-path="docs/notes.md"]').waitFor();
    expect((await content("docs/notes.md")).status()).toBe(200);
    expect((await content("notes.md")).status()).toBe(404);

    // Edit main.js, let someone else (the agent, another tab) change it underneath, then save: the conflict prompt.
    await page.locator('[data-testid="tree-row"][data-path="main.js"]').click();
    await page.locator('[data-testid="monaco-editor"] .view-lines').click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText("// mine");
    await page.locator('[data-testid="editor-tab"][data-path="main.js"][data-dirty="true"]').waitFor();
    const put = await page.request.put(`${server.url}/api/v1/projects/${id}/files/content?path=main.js`, { data: { content: "// changed by someone else\n" } });
    expect(put.status()).toBe(200);
    await page.keyboard.press("Control+s");
    await page.getByTestId("conflict-prompt").waitFor();
    await screenshot(page, "13-conflict");
    expect(((await (await content("main.js")).json()) as { data: { content: string } }).data.content).toBe("// changed by someone else\n");
    await page.getByTestId("conflict-keep-mine").click();
    await page.getByTestId("conflict-prompt").waitFor({ state: "detached" });
    expect(((await (await content("main.js")).json()) as { data: { content: string } }).data.content).toContain("// mine");
    // Closing the diff must not throw inside Monaco (its models are released after the widget).
    expect(world.errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);

    await page.locator('[data-testid="tree-row"][data-path="docs/notes.md"]').click();
    await clickAndAcceptDialog(page, page.getByTestId("delete-file"));
    await page.locator('[data-testid="tree-row"][data-path="docs/notes.md"]').waitFor({ state: "detached" });
    expect((await content("docs/notes.md")).status()).toBe(404);
  });
});
