import { beforeAll, describe, expect, it } from "vitest";
import { browserWorld, screenshot } from "./support";

const SECRET = "e2e-secret-value-0123456789-qz";

/** The workbench's Settings dialog: add a secret and a plain variable, save, reload; the secret shows only as hidden with its hint. */
describe("app environment variables in the browser", () => {
  const world = browserWorld({ user: "erin" });
  let projectId: string;

  beforeAll(async () => {
    projectId = await world.createProject("Env site", { start_container: false });
  });

  const dialog = () => world.page.getByTestId("env-dialog");
  const row = (i: number) => dialog().getByTestId(`env-row-${i}`);

  it("saves a secret and a plain variable; after a reload the secret is hidden with its hint", async () => {
    const { page, server } = world;
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.getByTestId("env-open").click();
    await dialog().getByTestId("env-add").click();
    await dialog().getByTestId("env-add").click();
    await row(0).getByTestId("env-key").fill("API_TOKEN");
    await row(0).getByTestId("env-value").fill(SECRET);
    await row(0).getByTestId("env-secret").check();
    await row(1).getByTestId("env-key").fill("GREETING");
    await row(1).getByTestId("env-value").fill("hello");
    await dialog().getByTestId("env-save").click();
    await expect.poll(() => row(0).getByTestId("env-value").getAttribute("placeholder"), { timeout: 30_000 }).toBe(`hidden …qz (${SECRET.length} characters)`);

    await page.reload();
    await page.getByTestId("env-open").click();
    await expect.poll(() => row(0).getByTestId("env-key").inputValue(), { timeout: 30_000 }).toBe("API_TOKEN");
    expect(await row(0).getByTestId("env-value").inputValue()).toBe("");
    expect(await row(0).getByTestId("env-value").getAttribute("type")).toBe("password");
    expect(await row(0).getByTestId("env-value").getAttribute("placeholder")).toBe(`hidden …qz (${SECRET.length} characters)`);
    expect(await row(0).getByTestId("env-secret").isChecked()).toBe(true);
    expect(await row(1).getByTestId("env-value").inputValue()).toBe("hello");
    expect(await page.content()).not.toContain(SECRET);
    await screenshot(page, "40-app-env");

    // Saving again without retyping the secret keeps it.
    await dialog().getByTestId("env-save").click();
    await expect.poll(() => dialog().getByTestId("env-save").isEnabled(), { timeout: 30_000 }).toBe(true);
    const stored = await page.request.get(`${server.url}/api/v1/projects/${projectId}/env`);
    expect(((await stored.json()) as { data: { vars: { key: string; hint: string | null }[] } }).data.vars).toEqual([
      expect.objectContaining({ key: "API_TOKEN", hint: `…qz (${SECRET.length} characters)` }),
      expect.objectContaining({ key: "GREETING", value: "hello" }),
    ]);
    expect(world.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
