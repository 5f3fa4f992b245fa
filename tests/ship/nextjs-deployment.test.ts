import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instanceContainers, removeInstanceContainers, requireEngine } from "../containers/support";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { apiFor, createProject, writeFile, type Who } from "./helpers";

// nextjs: `next build` in the one-off build container, then `next start` in the deployment's own
// container over the read-only artifact (node_modules hard-linked from the template cache).
const TEMPLATE_CACHE_DIR = path.resolve("node_modules/.cache/slipway-template-cache");

let server: TestServer;
let alice: Who;
let project: { id: string; slug: string };
const api = apiFor(() => server.url);

type Deployment = { id: string; state: string; url: string; log: string; error: string | null };

function hostGet(url: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, path: u.pathname, headers: { host: u.host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  await requireEngine();
  server = await startServer({
    env: {
      TEMPLATE_CACHE_DIR,
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  alice = await apiKeyFor(server.url, "alice");
  project = await createProject(api, alice, "Next app", "nextjs");
}, 600_000);

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

describe("nextjs deployment", () => {
  it("builds with next build and serves it with next start in its own container", async () => {
    await writeFile(api, alice, project.id, "app/page.js", "export default function Page() { return <h1>Shipped with Next</h1>; }\n");
    const res = await api(alice, `/api/v1/projects/${project.id}/deployments`, { method: "POST", json: { visibility: "public" } });
    expect(res.status, res.text).toBe(202);
    const id = (res.body.data as Deployment).id;
    let got: Deployment | undefined;
    for (let i = 0; i < 3000; i++) {
      got = (await api(alice, `/api/v1/projects/${project.id}/deployments/${id}`)).body.data as Deployment;
      if (got.state === "ready" || got.state === "failed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(got?.state, got?.log).toBe("ready");
    const artifact = path.join(server.dataDir, "deployments", id);
    expect(fs.existsSync(path.join(artifact, ".next", "BUILD_ID"))).toBe(true);
    // The build's cache is not stored (a tmpfs covers it when serving); dependencies are hard links.
    expect(fs.readdirSync(path.join(artifact, ".next", "cache"))).toEqual([]);
    expect(fs.statSync(path.join(artifact, "node_modules", "next", "package.json")).nlink).toBeGreaterThan(1);

    const page = await hostGet(got!.url);
    expect(page.status, page.body.slice(0, 2000)).toBe(200);
    expect(page.body).toContain("Shipped with Next");
    const containers = (await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.deployment"] === id);
    expect(containers).toHaveLength(1);
  }, 600_000);
});
