import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser, Frame } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { serverFrame, type ServerFrame } from "@/lib/shared/chat-protocol";
import { launchBrowser } from "../e2e/support";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import {
  api,
  createProject,
  previewCookie,
  previewHost,
  previewRequest,
  removeInstanceContainers,
  requireEngine,
  waitFor,
  writeFile,
  type Auth,
} from "./support";

interface PreviewError {
  id: string;
  kind: string;
  message: string;
  stack: string | null;
  file: string | null;
  line: number | null;
  count: number;
}

let server: TestServer;
let browser: Browser;
let alice: Auth;
let bob: Auth;
let project: { id: string; slug: string };
let cookie: string;
let frames: ServerFrame[];
let socket: WebSocket;
const boom = `boom-${randomUUID().slice(0, 8)}`;

/** POSTs a report to the preview host's error endpoint, as a page of the preview would. */
function report(body: string, cookieHeader?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        path: "/__slipway/errors",
        method: "POST",
        headers: { host: previewHost(server, project.slug), "content-type": "application/json", ...(cookieHeader ? { cookie: cookieHeader } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const listErrors = async (auth: Auth = alice) => api<{ errors: PreviewError[] }>(server, auth, "GET", `/api/v1/projects/${project.id}/preview/errors`);

beforeAll(async () => {
  await requireEngine();
  server = await startServer();
  alice = await apiKeyFor(server.url, "alice");
  bob = await apiKeyFor(server.url, "bob");
  project = await createProject(server, alice, "static");
  const started = await api<{ state: string }>(server, alice, "POST", `/api/v1/projects/${project.id}/container/start`);
  expect(started.json.data.state, started.text).toBe("ready");
  cookie = await previewCookie(server, alice, project.id, project.slug);
  browser = await launchBrowser();
  frames = [];
  socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/v1/chat/stream/${project.id}`, {
    headers: { authorization: alice.authorization, origin: server.url },
  });
  socket.on("message", (data) => frames.push(serverFrame.parse(JSON.parse(String(data)))));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
}, 120_000);

afterAll(async () => {
  socket?.close();
  await browser?.close();
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

/** Opens the preview in an iframe of the app's origin (as the workbench does) and returns the frame. */
async function openPreview(): Promise<Frame> {
  const state = await api<{ preview_auth_url: string }>(server, alice, "GET", `/api/v1/projects/${project.id}/container`);
  const page = await browser.newPage();
  await page.goto(`${server.url}/health`);
  await page.evaluate(
    (src) => {
      const frame = document.createElement("iframe");
      frame.id = "preview";
      frame.src = src;
      document.body.appendChild(frame);
    },
    `${state.json.data.preview_auth_url}&next=${encodeURIComponent("/")}`,
  );
  const frame = await (await page.waitForSelector("#preview")).contentFrame();
  await frame!.waitForSelector("h1");
  return frame!;
}

describe("browser errors of the dev preview", () => {
  it("injects the reporter into the preview's HTML pages only (not into scripts)", async () => {
    const page = await previewRequest(server, project.slug, "/", { cookie });
    expect(page.body).toContain('<script src="/__slipway/reporter.js"></script>');
    expect(page.body.indexOf("/__slipway/reporter.js")).toBeLessThan(page.body.indexOf("main.js"));
    const script = await previewRequest(server, project.slug, "/main.js", { cookie });
    expect(script.body).not.toContain("__slipway");
    const reporter = await previewRequest(server, project.slug, "/__slipway/reporter.js", { cookie });
    expect(reporter.status).toBe(200);
    expect(reporter.headers["content-type"]).toContain("javascript");
    expect((await previewRequest(server, project.slug, "/__slipway/reporter.js")).status).toBe(404);
  });

  it("a script's uncaught error in the browser is listed with its file and line and pushed to the chat socket", async () => {
    await writeFile(server, alice, project.id, "main.js", `console.log("starting");\n\nthrow new Error("${boom}");\n`);
    const frame = await openPreview();
    const found = await waitFor("the error in the list", async () => (await listErrors()).json.data.errors.find((e) => e.message.includes(boom)));
    expect(found.kind).toBe("error");
    expect(found.file).toBe("main.js");
    expect(found.line).toBe(3);
    expect(found.stack).toContain("main.js");
    const pushed = await waitFor("a preview_error frame", async () =>
      frames.find((f): f is Extract<ServerFrame, { type: "preview_error" }> => f.type === "preview_error" && f.metadata.error?.message.includes(boom) === true),
    );
    expect(pushed.metadata.count).toBeGreaterThanOrEqual(1);
    expect(pushed.metadata.error?.file).toBe("main.js");
    await frame.page().close();
  }, 120_000);

  it("another user cannot list them (404)", async () => {
    const res = await listErrors(bob);
    expect(res.status).toBe(404);
  });

  it("refuses reports without a valid preview grant and stores nothing", async () => {
    const before = (await listErrors()).json.data.errors;
    const body = JSON.stringify({ type: "errors", errors: [{ kind: "error", message: "forged-report" }] });
    expect(await report(body)).toBe(403);
    expect(await report(body, "slipway_preview=not-a-grant")).toBe(403);
    expect(await report(JSON.stringify({ type: "loaded", errors: 0 }))).toBe(403);
    const after = (await listErrors()).json.data.errors;
    expect(after.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
    expect(after.some((e) => e.message.includes("forged-report"))).toBe(false);
  });

  it("fixing the file reloads the page, which reports no error and clears the list", async () => {
    const frame = await openPreview();
    await writeFile(server, alice, project.id, "main.js", `console.log("fixed");\n`);
    await waitFor("an empty list", async () => (await listErrors()).json.data.errors.length === 0, 60_000);
    await waitFor("a clearing preview_error frame", async () => frames.some((f) => f.type === "preview_error" && f.metadata.error === null));
    await frame.page().close();
  }, 120_000);

  it("caps report bodies (413), refuses malformed ones (400) and rate-limits per project (429)", async () => {
    const huge = JSON.stringify({ type: "errors", errors: [{ kind: "error", message: "x".repeat(40 * 1024) }] });
    expect(await report(huge, cookie)).toBe(413);
    expect(await report("{not json", cookie)).toBe(400);
    expect(await report(JSON.stringify({ type: "errors", errors: [{ kind: "error", message: "m".repeat(3000) }] }), cookie)).toBe(400);
    const one = JSON.stringify({ type: "errors", errors: [{ kind: "console_error", message: `rate-${boom}` }] });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push(await report(one, cookie));
    expect(statuses).toContain(429);
    const listed = (await listErrors()).json.data.errors.filter((e) => e.message === `rate-${boom}`);
    expect(listed).toHaveLength(1); // equal reports merge into one entry with a count
    expect(listed[0]!.count).toBe(statuses.filter((s) => s === 204).length);
    expect(listed[0]!.count).toBeLessThanOrEqual(20);
  });

  it("DELETE clears the list", async () => {
    const del = await api(server, alice, "DELETE", `/api/v1/projects/${project.id}/preview/errors`);
    expect(del.status).toBe(200);
    expect((await listErrors()).json.data.errors).toEqual([]);
  });

  it("injects the reporter only on the dev-preview path: deployments are served without the HTML hook", () => {
    // Deployments are not started here (a build takes minutes on this machine): the check is that the
    // one injection hook is passed by the preview proxy and by nothing else.
    const lib = path.resolve("lib");
    const users: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && /transformHtml:|injectReporter\b/.test(fs.readFileSync(p, "utf8"))) users.push(path.relative(lib, p));
      }
    };
    walk(lib);
    expect(users.sort()).toEqual(["preview/proxy.ts", "preview/relay-admission.ts", "preview/reporter-script.ts"]);
    expect(fs.readFileSync(path.join(lib, "deploys/serve.ts"), "utf8")).not.toMatch(/transformHtml|injectReporter/);
  });
});
