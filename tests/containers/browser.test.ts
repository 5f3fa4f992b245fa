import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { api, createProject, removeInstanceContainers, requireEngine, writeFile, type Auth } from "./support";

let server: TestServer;
let browser: Browser;
let alice: Auth;

beforeAll(async () => {
  await requireEngine();
  server = await startServer();
  alice = await apiKeyFor(server.url, "alice");
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

describe("private preview in a real browser", () => {
  it("loads in an iframe of the app through preview_auth_url (cookie on the preview host) and live-reloads on a file edit", async () => {
    const project = await createProject(server, alice, "static");
    const started = await api<{ state: string; preview_auth_url: string }>(server, alice, "POST", `/api/v1/projects/${project.id}/container/start`);
    expect(started.json.data.state).toBe("ready");
    const page = await browser.newPage();
    await page.goto(`${server.url}/health`); // any page of the app's origin: the iframe is cross-site, as in the workbench
    await page.evaluate(
      (src) => {
        const frame = document.createElement("iframe");
        frame.id = "preview";
        frame.src = src;
        document.body.appendChild(frame);
      },
      `${started.json.data.preview_auth_url}&next=${encodeURIComponent("/")}`,
    );
    const frame = await (await page.waitForSelector("#preview")).contentFrame();
    await frame!.waitForSelector("h1");
    expect(await frame!.textContent("h1")).toBe("Hello from Slipway");
    expect(frame!.url()).toBe(`http://${project.slug}.preview.localhost:${server.port}/`);

    // The live-reload socket (through the proxy, authenticated by the cookie) reloads the page on an edit.
    await frame!.waitForFunction(() => document.documentElement.dataset.livereload === "on");
    await writeFile(server, alice, project.id, "index.html", "<!doctype html><html><body><h1>Reloaded by the edit</h1></body></html>");
    await frame!.waitForFunction(() => document.querySelector("h1")?.textContent === "Reloaded by the edit", undefined, { timeout: 20_000 });

    // Without the grant (a fresh browser context), the preview host is a 404.
    const stranger = await browser.newContext();
    const res = await (await stranger.newPage()).goto(`http://${project.slug}.preview.localhost:${server.port}/`);
    expect(res!.status()).toBe(404);
    await stranger.close();
  }, 120_000);
});
