import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserWorld, screenshot } from "./support";

/** What axe-core finds on a screen at the serious and critical levels, as readable lines (empty when clean). */
async function seriousViolations(page: Page): Promise<string[]> {
  // The preview frame shows the user's own app, not Slipway: its contents are not checked (the frame element is).
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).options({ iframes: false }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes
          .slice(0, 5)
          .map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`)
          .join("\n  ")}`,
    );
}

/** axe-core in Chromium on the home page, the workbench and settings, signed in, in the light and the dark theme. */
describe("accessibility of the main screens", () => {
  const world = browserWorld({ user: "ada" });

  it("the home page (dashboard with the prompt box) has no serious or critical violations", async () => {
    const { page, server } = world;
    await world.createProject("Accessible site");
    await page.goto(server.url);
    await page.getByTestId("dashboard").waitFor();
    await page.getByText("Accessible site").first().waitFor();
    await screenshot(page, "a11y-home");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("the workbench with a file open (tree, editor, chat, preview) has none, in light and dark", async () => {
    const { page, server } = world;
    const id = await world.createProject("Workbench a11y");
    await page.goto(`${server.url}/projects/${id}`);
    await page.locator('[data-testid="tree-row"][data-path="index.html"]').click();
    await page.locator('[data-testid="monaco-editor"] .view-lines').waitFor();
    await page.frameLocator('[data-testid="preview-frame"]').locator("h1").waitFor({ timeout: 120_000 });
    await screenshot(page, "a11y-workbench");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId("theme-toggle").click();
    await page.locator("html.dark").waitFor({ state: "attached" });
    await screenshot(page, "a11y-workbench-dark");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId("theme-toggle").click();
    await page.locator("html:not(.dark)").waitFor({ state: "attached" });
  }, 180_000);

  it("settings has none", async () => {
    const { page, server } = world;
    await page.goto(`${server.url}/settings`);
    await page.getByTestId("settings").waitFor();
    await page.getByTestId("deploy-integrations").waitFor();
    await screenshot(page, "a11y-settings");
    expect(await seriousViolations(page)).toEqual([]);
    expect(world.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
