import { describe, expect, it } from "vitest";
import { reply, text } from "../fixtures/scripted-llm/server";
import { browserWorld, screenshot } from "./support";

/** The chat's session bar in Chromium: two chats, switching between them, renaming one. */
describe("chat sessions in the browser", () => {
  const world = browserWorld({ user: "sam" });

  const ask = async (prompt: string, answer: string) => {
    const { page, llm } = world;
    llm.enqueue(reply([text(answer)]));
    await page.getByTestId("chat-input").fill(prompt);
    await page.getByTestId("chat-send").click();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').filter({ hasText: answer }).waitFor();
  };
  const items = () => world.page.getByTestId("session-item");

  it("keeps two chats apart, switches between them and renames one", async () => {
    const { page, server } = world;
    await page.goto(`${server.url}/projects/${await world.createProject("Sessions")}`);
    await expect(page.getByTestId("session-current").innerText()).resolves.toContain("New chat");

    await ask("Make the heading blue", "The heading is blue now.");
    await page.getByTestId("session-current").filter({ hasText: "Make the heading blue" }).waitFor();

    await page.getByTestId("session-new").click();
    await expect(page.getByTestId("assistant-message").count()).resolves.toBe(0);
    await ask("Add a footer", "A footer was added.");
    await page.getByTestId("session-current").filter({ hasText: "Add a footer" }).waitFor();
    await expect(page.getByTestId("user-message").count()).resolves.toBe(1);

    // Both in the list, the newest first; switching shows only that chat's messages.
    await page.getByTestId("session-current").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="session-item"]').length === 2);
    await expect(items().nth(0).innerText()).resolves.toContain("Add a footer");
    await expect(items().nth(1).innerText()).resolves.toContain("Make the heading blue");
    await items().nth(1).getByTestId("session-switch").click();
    await page.getByTestId("assistant-message").filter({ hasText: "The heading is blue now." }).waitFor();
    await expect(page.getByTestId("user-message").count()).resolves.toBe(1);
    await expect(page.getByTestId("chat-messages").innerText()).resolves.not.toContain("A footer was added.");

    // Rename the other one: the list and the bar show the new title.
    await page.getByTestId("session-current").click();
    await items().filter({ hasText: "Add a footer" }).getByTestId("session-rename").click();
    await page.getByTestId("session-title-input").fill("Footer work");
    await page.getByTestId("session-title-save").click();
    await items().filter({ hasText: "Footer work" }).waitFor();
    await expect(items().count()).resolves.toBe(2);
    await screenshot(page, "33-chat-sessions-list");
    await items().filter({ hasText: "Footer work" }).getByTestId("session-switch").click();
    await page.getByTestId("session-current").filter({ hasText: "Footer work" }).waitFor();
    await page.getByTestId("assistant-message").filter({ hasText: "A footer was added." }).waitFor();
    await expect(page.getByTestId("chat-messages").innerText()).resolves.not.toContain("The heading is blue now.");
    await screenshot(page, "34-chat-session-switched");
    expect(world.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
