import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { removeInstanceContainers } from "../containers/support";
import { startGitHttpServer, type GitHttpServer } from "../fixtures/git-http/server";
import { startGithubFake, type GithubFake } from "../fixtures/github-fake/server";
import { startVercelFake, type VercelFake } from "../fixtures/vercel-fake/server";
import { startServer, tempDir, type TestServer } from "../helpers/server";
import { gitAs } from "../ship/helpers";
import { collectPageErrors, launchBrowser, reportFailure, screenshot, signInLocally } from "./support";

const GITHUB_TOKEN = "ghp_shipUiToken0123456789abcdefghijklmno";
const VERCEL_TOKEN = "vc_shipUiToken0123456789";

/**
 * The workbench's Ship dialog in real Chromium against the production build: publish a preview
 * deployment and watch its build, open its URL, publish again, roll back, delete one, and push to a
 * (fake) GitHub whose repositories are real bare repos behind git's smart HTTP. Steps run in order on one page.
 */
describe("Ship dialog end to end", () => {
  let git: GitHttpServer;
  let github: GithubFake;
  let vercel: VercelFake;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let projectId: string;
  let firstId: string;
  let secondId: string;
  let cloneDir: string;
  const logStreams: string[] = [];

  const dialog = () => page.getByTestId("ship-dialog");
  const row = (id: string) => dialog().locator(`[data-testid="deployment-row"][data-id="${id}"]`);
  const apiJson = async <T>(res: { json(): Promise<unknown>; status(): number }) => ((await res.json()) as { data: T }).data;

  /** Opens a link in a fresh tab of the same browser context (the deployment host gets its own cookie). */
  async function pageText(url: string): Promise<string> {
    const tab = await context.newPage();
    try {
      await tab.goto(url);
      return await tab.locator("body").innerText();
    } finally {
      await tab.close();
    }
  }

  /** Status of a deployment host through Slipway's port without cookies (Node cannot resolve *.localhost; Chromium can). */
  function hostStatus(label: string): Promise<number> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port: server.port, path: "/", headers: { host: `${label}.deploy.localhost:${server.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject);
    });
  }

  async function publishAndWait(): Promise<string> {
    const live = dialog().getByTestId("live-deployment");
    const before = (await live.count()) ? await live.getAttribute("data-id") : null;
    await dialog().getByTestId("publish").click();
    const fresh = before ? `:not([data-id="${before}"])` : "";
    await dialog().locator(`[data-testid="live-deployment"][data-state="ready"]${fresh}`).waitFor({ timeout: 60_000 });
    const id = (await live.getAttribute("data-id"))!;
    await expect(live.getByTestId("live-url").innerText()).resolves.toBe(`http://${id}.deploy.localhost:${server.port}/`);
    return id;
  }

  beforeAll(async () => {
    git = await startGitHttpServer(tempDir("shipui-git-"));
    github = await startGithubFake(git);
    github.addUser(GITHUB_TOKEN, "alice-gh");
    vercel = await startVercelFake();
    vercel.addUser(VERCEL_TOKEN, "alice-vc");
    server = await startServer({ env: { GITHUB_API_URL: github.url, VERCEL_API_URL: vercel.url } });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    errors = collectPageErrors(page);
    page.on("request", (r) => {
      if (/\/deployments\/[0-9a-f-]{36}\/logs$/.test(new URL(r.url()).pathname)) logStreams.push(r.headers()["accept"] ?? "");
    });
    await signInLocally(page, server.url, "alice");
    const created = await page.request.post(`${server.url}/api/v1/projects`, { data: { name: "Ship site", template: "static" } });
    expect(created.status()).toBe(201);
    projectId = (await apiJson<{ id: string }>(created)).id;
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
    await Promise.all([git?.close(), github?.close(), vercel?.close()]);
  });

  it("publishes from the Ship dialog: the build log streams in, the state reaches ready, the link serves the page", async () => {
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.getByTestId("project-name").filter({ hasText: "Ship site" }).waitFor();
    await page.getByTestId("ship-open").click();
    await dialog().getByText("Nothing published yet.").waitFor();
    await expect(dialog().getByTestId("publish-promote").isChecked()).resolves.toBe(true);
    await expect(dialog().getByTestId("publish-visibility").inputValue()).resolves.toBe("private");
    await screenshot(page, "20-ship-dialog");

    firstId = await publishAndWait();
    // The log panel followed the build over the server-sent events endpoint.
    expect(logStreams).toContain("text/event-stream");
    const log = await dialog().getByTestId("build-log").innerText();
    const stored = await apiJson<{ log: string; state: string; promoted: boolean }>(
      await page.request.get(`${server.url}/api/v1/projects/${projectId}/deployments/${firstId}`),
    );
    expect(stored.state).toBe("ready");
    expect(stored.log.trim().length).toBeGreaterThan(0);
    expect(log).toContain(stored.log.trim().split("\n")[0]);
    expect(stored.promoted).toBe(true);
    await row(firstId).and(page.locator('[data-promoted="true"]')).waitFor();
    await screenshot(page, "21-ship-published");

    // Private: the plain URL is a 404 without the owner's access cookie; the dialog's link grants it.
    const href = (await dialog().getByTestId("live-url").getAttribute("href"))!;
    expect(href).toContain("/__slipway/auth?token=");
    await expect(hostStatus(firstId)).resolves.toBe(404);
    const tab = await context.newPage();
    await tab.goto(href);
    await tab.locator("h1").filter({ hasText: "Hello from Slipway" }).waitFor();
    expect(new URL(tab.url()).hostname).toBe(`${firstId}.deploy.localhost`);
    await screenshot(tab, "22-ship-deployment-page");
    await tab.close();
  }, 90_000);

  it("publishes an edited version, then rolls the stable URL back to the first one from the list", async () => {
    const write = await page.request.put(`${server.url}/api/v1/projects/${projectId}/files/content?path=index.html`, {
      data: { content: "<!doctype html><h1>Second version</h1>\n" },
    });
    expect(write.ok()).toBe(true);
    await dialog().getByTestId("publish-visibility").selectOption("public");
    secondId = await publishAndWait();
    await row(secondId).and(page.locator('[data-promoted="true"]')).waitFor();
    await row(firstId).and(page.locator('[data-promoted="false"]')).waitFor();
    expect(await pageText((await dialog().getByTestId("stable-link").getAttribute("href"))!)).toContain("Second version");

    await row(firstId).getByTestId("rollback").click();
    await row(firstId).and(page.locator('[data-promoted="true"]')).waitFor();
    await row(firstId).getByTestId("promoted-badge").waitFor();
    await expect(row(secondId).getByTestId("promote").innerText()).resolves.toBe("Promote");
    await screenshot(page, "23-ship-rolled-back");
    // The first deployment is private: the stable link carries the access grant to the stable host.
    const stableHref = (await dialog().getByTestId("stable-link").getAttribute("href"))!;
    expect(new URL(stableHref).hostname).not.toContain(firstId);
    const stableText = await pageText(stableHref);
    expect(stableText).toContain("Hello from Slipway");
    expect(stableText).not.toContain("Second version");
    // The newer deployment still serves its own content (immutable).
    expect(await pageText(`http://${secondId}.deploy.localhost:${server.port}/`)).toContain("Second version");
  }, 90_000);

  it("toggles visibility, and deletes a deployment after an in-app confirmation", async () => {
    await row(secondId).getByTestId("toggle-visibility").click();
    await row(secondId).getByTestId("toggle-visibility").filter({ hasText: "Make public" }).waitFor();
    await expect(hostStatus(secondId)).resolves.toBe(404);
    await row(secondId).getByTestId("toggle-visibility").click();
    await row(secondId).getByTestId("toggle-visibility").filter({ hasText: "Make private" }).waitFor();
    await expect(hostStatus(secondId)).resolves.toBe(200);

    await row(secondId).getByTestId("delete-deployment").click();
    await row(secondId).getByTestId("delete-confirm").waitFor();
    await screenshot(page, "24-ship-delete-confirm");
    await row(secondId).getByTestId("delete-confirm-yes").click();
    await row(secondId).waitFor({ state: "detached" });
    await expect(dialog().getByTestId("deployment-row").count()).resolves.toBe(1);
    const gone = await page.request.get(`${server.url}/api/v1/projects/${projectId}/deployments/${secondId}`);
    expect(gone.status()).toBe(404);
    await expect(hostStatus(secondId)).resolves.toBe(404);
  });

  it("GitHub: not connected shows the way to Settings; once connected, creates the repository and pushes", async () => {
    await dialog().getByTestId("ship-tab-github").click();
    await dialog().getByTestId("github-not-connected").waitFor();
    await expect(dialog().getByTestId("github-settings-link").getAttribute("href")).resolves.toBe("/settings");
    await dialog().getByTestId("ship-tab-vercel").click();
    await dialog().getByTestId("vercel-not-connected").waitFor();
    await screenshot(page, "25-ship-vercel-not-connected");

    const connect = await page.request.post(`${server.url}/api/v1/integrations/github`, { data: { token: GITHUB_TOKEN } });
    expect(connect.status()).toBe(200);
    await dialog().getByTestId("ship-close").click();
    await page.getByTestId("ship-open").click();
    await dialog().getByTestId("ship-tab-github").click();
    await dialog().getByTestId("github-repo-name").fill("ship-site");
    await dialog().getByTestId("github-create").click();
    await expect(dialog().getByTestId("github-result").innerText()).resolves.toMatch(/^Created alice-gh\/ship-site and pushed [0-9a-f]{7}\.$/);
    await dialog().getByTestId("github-linked").waitFor();
    await screenshot(page, "26-ship-github-pushed");

    cloneDir = path.join(tempDir("shipui-clone-"), "clone");
    await gitAs(GITHUB_TOKEN, path.dirname(cloneDir), ["clone", "--quiet", `${git.url}/alice-gh/ship-site.git`, cloneDir]);
    expect(fs.readFileSync(path.join(cloneDir, "index.html"), "utf8")).toContain("Second version");

    await dialog().getByTestId("github-push").click();
    await expect(dialog().getByTestId("github-result").innerText()).resolves.toContain("is already up to date");
    await dialog().getByTestId("github-pull").click();
    await expect(dialog().getByTestId("github-result").innerText()).resolves.toBe("Already up to date with GitHub.");
  }, 60_000);

  it("GitHub: a rejected push shows the server's message; Pull brings the remote commit in, then Push succeeds", async () => {
    fs.writeFileSync(path.join(cloneDir, "remote-only.txt"), "remote\n");
    await gitAs(GITHUB_TOKEN, cloneDir, ["add", "-A"]);
    await gitAs(GITHUB_TOKEN, cloneDir, ["commit", "--quiet", "-m", "Remote change"]);
    await gitAs(GITHUB_TOKEN, cloneDir, ["push", "--quiet", "origin", "HEAD:main"]);
    const write = await page.request.put(`${server.url}/api/v1/projects/${projectId}/files/content?path=local-only.txt`, { data: { content: "local\n" } });
    expect(write.ok()).toBe(true);
    const direct = await page.request.post(`${server.url}/api/v1/projects/${projectId}/github/push`, { data: {} });
    expect(direct.status()).toBe(409);
    const serverMessage = ((await direct.json()) as { error: { message: string } }).error.message;

    await dialog().getByTestId("github-push").click();
    await expect(dialog().getByTestId("github-error").innerText()).resolves.toBe(serverMessage);
    await screenshot(page, "27-ship-github-rejected");

    await dialog().getByTestId("github-pull").click();
    await expect(dialog().getByTestId("github-result").innerText()).resolves.toMatch(/^Pulled 1 changed file into checkpoint [0-9a-f]{7}: remote-only\.txt\.$/);
    await dialog().getByTestId("github-error").waitFor({ state: "detached" });
    await dialog().getByTestId("github-push").click();
    await expect(dialog().getByTestId("github-result").innerText()).resolves.toMatch(/^Pushed [0-9a-f]{7} to alice-gh\/ship-site \(main\)\.$/);
  }, 60_000);

  it("Vercel: once connected, deploys and shows the state, the URL and the list", async () => {
    const connect = await page.request.post(`${server.url}/api/v1/integrations/vercel`, { data: { token: VERCEL_TOKEN } });
    expect(connect.status()).toBe(200);
    await dialog().getByTestId("ship-close").click();
    await page.getByTestId("ship-open").click();
    await dialog().getByTestId("ship-tab-vercel").click();
    await dialog().getByText("No Vercel deployments yet.").waitFor();
    await dialog().getByTestId("vercel-deploy").click();
    await dialog().locator('[data-testid="vercel-state"][data-state="ready"]').waitFor();
    const href = (await dialog().getByTestId("vercel-url").getAttribute("href"))!;
    expect(href).toMatch(/^https:\/\/ship-site-[0-9a-f]{8}\.vercel\.app$/);
    await expect(dialog().getByTestId("vercel-row").count()).resolves.toBe(1);
    expect(vercel.requests.some((r) => r.method === "POST" && r.path === "/v13/deployments")).toBe(true);
    await screenshot(page, "28-ship-vercel-deployed");
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await dialog().getByTestId("ship-tab-publish").click();
    await dialog().getByTestId("deployment-row").first().waitFor();
    await screenshot(page, "29-ship-publish-dark");
    // The rejected push's 409 is the one failed request the browser logs.
    const expected = (e: string) => e.includes("favicon") || (e.includes("409 (Conflict)") && e.includes("/github/push"));
    expect(errors.filter((e) => !expected(e))).toEqual([]);
  });
});
