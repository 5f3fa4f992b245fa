import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { browserWorld, screenshot } from "./support";

const COUNT = 120;

/**
 * A long conversation in Chromium: the chat opens on its newest messages and pages older ones in as the user
 * scrolls up; then the chat is deleted from the session menu (asked once) and is gone from the list and the API.
 */
describe("long chat history in the browser", () => {
  const world = browserWorld({ user: "lena" });
  let projectId: string;
  let longId: string;
  let keepId: string;

  const messages = () => world.page.getByTestId("chat-messages");
  const createSession = async (title: string) => {
    const res = await world.page.request.post(`${world.server.url}/api/v1/chat/create-session`, { data: { project_id: projectId, title } });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { data: { id: string } }).data.id;
  };

  it("opens on the newest messages and loads older ones when scrolled to the top", async () => {
    const { page } = world;
    projectId = await world.createProject("Long talk");
    keepId = await createSession("Keep me");
    longId = await createSession("Long one");
    // The messages go straight into the stopped server's database (a scripted turn each would take minutes).
    await world.restartServer(async (dataDir) => {
      const { DuckDBInstance } = await import("@duckdb/node-api");
      const instance = await DuckDBInstance.create(`${dataDir}/slipway.duckdb`);
      const connection = await instance.connect();
      try {
        const owner = (await connection.runAndReadAll(`SELECT user_id FROM chat_sessions WHERE id = $1`, [longId])).getRowObjectsJson()[0]!.user_id as string;
        const start = Date.now() - COUNT * 1000;
        const rows = Array.from({ length: COUNT }, (_, i) => {
          const at = new Date(start + i * 1000).toISOString();
          return `('${randomUUID()}', '${longId}', '${projectId}', '${owner}', '${i % 2 ? "assistant" : "user"}', 'message number ${i}', '${at}'::TIMESTAMPTZ)`;
        });
        await connection.run(`INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, created_at) VALUES ${rows.join(", ")}`);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    });

    await page.goto(`${world.server.url}/projects/${projectId}`);
    await page.getByTestId("session-current").click();
    await page.locator('[data-testid="session-item"]').filter({ hasText: "Long one" }).getByTestId("session-switch").click();
    await messages()
      .getByText(`message number ${COUNT - 1}`, { exact: true })
      .waitFor();
    // The first page is the newest: the oldest message is not there yet.
    await expect(messages().getByText("message number 0", { exact: true }).count()).resolves.toBe(0);
    const shown = await page.locator('[data-testid="user-message"], [data-testid="assistant-message"]').count();
    expect(shown).toBeLessThan(COUNT);
    await screenshot(page, "chat-history-newest");

    // Scrolling to the top, as often as it takes, brings in every older page down to the first message.
    await expect
      .poll(
        async () => {
          await messages().evaluate((el) => {
            el.scrollTop = 0;
            el.dispatchEvent(new Event("scroll"));
          });
          return messages().getByText("message number 0", { exact: true }).count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await expect(page.locator('[data-testid="user-message"], [data-testid="assistant-message"]').count()).resolves.toBe(COUNT);
    await screenshot(page, "chat-history-oldest");
  });

  it("deletes a chat from the session menu after asking once", async () => {
    const { page, server } = world;
    await page.getByTestId("session-current").click();
    const item = page.locator('[data-testid="session-item"]').filter({ hasText: "Long one" });
    await item.getByTestId("session-delete").click();
    const dialog = page.getByTestId("session-delete-dialog");
    await dialog.getByText(`${COUNT} messages`).waitFor();
    await screenshot(page, "chat-session-delete");
    await dialog.getByTestId("session-delete-confirm").click();
    await item.waitFor({ state: "detached" });
    const list = (await (await page.request.get(`${server.url}/api/v1/projects/${projectId}/sessions`)).json()) as { data: Array<{ id: string }> };
    expect(list.data.map((s) => s.id)).toEqual([keepId]);
    // Deleted for good: deleting it again finds nothing.
    expect((await page.request.delete(`${server.url}/api/v1/chat/${longId}`)).status()).toBe(404);
    expect(world.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
