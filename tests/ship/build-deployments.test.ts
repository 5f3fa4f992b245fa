import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeInstanceContainers, requireEngine } from "../containers/support";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { apiFor, createProject, writeFile, type Who } from "./helpers";

// A template with a build command (vite-react): the build runs in a one-off hardened container, its
// log streams while it runs, and a failing build leaves the stable URL on the previous deployment.
// Dependencies come from the template cache the other container tests use (warm after the first run).
const TEMPLATE_CACHE_DIR = path.resolve("node_modules/.cache/slipway-template-cache");

let server: TestServer;
let alice: Who;
let bob: Who;
let project: { id: string; slug: string };
const api = apiFor(() => server.url);

type Deployment = { id: string; state: string; url: string; stable_url: string; log: string; error: string | null; promoted: boolean };
type LogEvent = { event: string; data: { text?: string; state?: string; error?: string | null }; stateWhenReceived?: string };

function hostGet(url: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, path: u.pathname + u.search, headers: { host: u.host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

const getDeployment = async (id: string) => (await api(alice, `/api/v1/projects/${project.id}/deployments/${id}`)).body.data as Deployment;

/** Reads the log endpoint's event stream to its end; each event notes the deployment's state when it arrived. */
async function followLog(id: string, who: Who = alice): Promise<{ status: number; contentType: string | null; events: LogEvent[] }> {
  const res = await fetch(`${server.url}/api/v1/projects/${project.id}/deployments/${id}/logs`, { headers: { authorization: who.authorization } });
  const events: LogEvent[] = [];
  if (res.status !== 200) return { status: res.status, contentType: res.headers.get("content-type"), events };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      events.push({ event, data: JSON.parse(data), stateWhenReceived: (await getDeployment(id)).state });
    }
  }
  return { status: res.status, contentType: res.headers.get("content-type"), events };
}

async function startDeploy(json: unknown): Promise<string> {
  const res = await api(alice, `/api/v1/projects/${project.id}/deployments`, { method: "POST", json });
  expect(res.status, res.text).toBe(202);
  return (res.body.data as Deployment).id;
}

async function waitDone(id: string): Promise<Deployment> {
  for (let i = 0; i < 3000; i++) {
    const got = await getDeployment(id);
    if (got.state === "ready" || got.state === "failed") return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("deployment did not finish");
}

// A Vite plugin that prints a marker and then holds the build for 3 s: the marker must reach a log
// follower while the deployment is still building.
const slowConfig = `import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const slow = { name: "slow", async buildStart() { console.log("SLOW-PLUGIN-STARTED"); await new Promise((r) => setTimeout(r, 3000)); } };
export default defineConfig({ plugins: [react(), tailwindcss(), slow] });
`;

beforeAll(async () => {
  await requireEngine();
  server = await startServer({
    env: {
      TEMPLATE_CACHE_DIR,
      CONTAINER_MEMORY_MB: "1024",
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  [alice, bob] = await Promise.all([apiKeyFor(server.url, "alice"), apiKeyFor(server.url, "bob")]);
  project = await createProject(api, alice, "Built app", "vite-react");
}, 600_000);

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

describe("deployments with a build command (vite-react)", () => {
  let good: Deployment;

  it("streams the build log while building, then serves the built output", async () => {
    await writeFile(api, alice, project.id, "vite.config.js", slowConfig);
    await writeFile(api, alice, project.id, "src/App.jsx", 'export default function App() { return <h1 className="p-4">Built by Vite</h1>; }\n');
    const id = await startDeploy({ visibility: "public" });
    const { status, contentType, events } = await followLog(id);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    const marker = events.find((e) => e.event === "log" && e.data.text?.includes("SLOW-PLUGIN-STARTED"));
    expect(marker, JSON.stringify(events).slice(0, 2000)).toBeDefined();
    expect(marker!.stateWhenReceived).toBe("building");
    expect(events.at(-1)).toMatchObject({ event: "end", data: { state: "ready", error: null } });

    good = await getDeployment(id);
    expect(good).toMatchObject({ state: "ready", promoted: true });
    // The streamed text is the stored log.
    expect(
      events
        .filter((e) => e.event === "log")
        .map((e) => e.data.text)
        .join(""),
    ).toBe(good.log);
    expect(good.log).toContain("$ npx vite build");
    expect(good.log).toMatch(/built in/);

    const page = await hostGet(good.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root"></div>');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script, page.body).toBeDefined();
    const js = await hostGet(new URL(script!, good.url).toString());
    expect(js.status).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.body).toContain("Built by Vite");
    // Client routes fall back to index.html.
    expect((await hostGet(`${good.url}some/route`)).body).toContain('<div id="root"></div>');
  }, 300_000);

  it("the log of a finished deployment replays at once and ends; other users get 404", async () => {
    const { events } = await followLog(good.id);
    expect(events.at(-1)?.event).toBe("end");
    expect(
      events
        .filter((e) => e.event === "log")
        .map((e) => e.data.text)
        .join(""),
    ).toBe(good.log);
    expect((await followLog(good.id, bob)).status).toBe(404);
  });

  it("a failing build is failed with the compiler's output, and the previous deployment keeps serving", async () => {
    await writeFile(api, alice, project.id, "src/App.jsx", "export default function App() { return <h1>unclosed; }\n");
    const failed = await waitDone(await startDeploy({ visibility: "public" }));
    expect(failed).toMatchObject({ state: "failed", promoted: false, error: "The build command exited with code 1" });
    expect(failed.log).toContain("App.jsx");
    expect(failed.log).toContain("Failed: The build command exited with code 1");
    expect((await hostGet(failed.url)).status).toBe(404);
    const stable = await hostGet(good.stable_url);
    expect(stable.status).toBe(200);
    expect(stable.headers["x-slipway-deployment"]).toBe(good.id);
  }, 300_000);
});
