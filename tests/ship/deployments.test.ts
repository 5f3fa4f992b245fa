import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { apiFor, createProject, writeFile, type Who } from "./helpers";

let server: TestServer;
let alice: Who;
let bob: Who;
let project: { id: string; slug: string };
const api = apiFor(() => server.url);

type Deployment = {
  id: string;
  state: string;
  url: string;
  access_url: string;
  stable_url: string;
  promoted: boolean;
  checkpoint_sha: string;
  visibility: string;
  log: string;
  error: string | null;
};

/** GET through Slipway's port with the deployment host name (the *.localhost names need no DNS this way). */
function hostGet(url: string, cookie?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: server.port, path: u.pathname + u.search, headers: { host: u.host, ...(cookie ? { cookie } : {}) } },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function deploy(json: unknown = { visibility: "public" }): Promise<Deployment> {
  const res = await api(alice, `/api/v1/projects/${project.id}/deployments`, { method: "POST", json });
  expect(res.status, res.text).toBe(202);
  const queued = res.body.data as Deployment;
  expect(["queued", "building", "ready", "failed"]).toContain(queued.state);
  for (let i = 0; i < 300; i++) {
    const got = (await api(alice, `/api/v1/projects/${project.id}/deployments/${queued.id}`)).body.data as Deployment;
    if (got.state === "ready" || got.state === "failed") return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("deployment did not finish");
}

beforeAll(async () => {
  server = await startServer();
  [alice, bob] = await Promise.all([apiKeyFor(server.url, "alice"), apiKeyFor(server.url, "bob")]);
  project = await createProject(api, alice, "Deployed site");
});

afterAll(async () => {
  await server?.stop();
});

describe("preview deployments", () => {
  let first: Deployment;
  let second: Deployment;

  it("builds the current checkpoint (unsaved edits included) and serves it at its own URL", async () => {
    await writeFile(api, alice, project.id, "index.html", "<h1>Version one</h1>\n");
    first = await deploy();
    expect(first).toMatchObject({ state: "ready", visibility: "public", promoted: true, error: null });
    expect(first.url).toBe(`http://${first.id}.deploy.localhost:${server.port}/`);
    expect(first.stable_url).toBe(`http://${project.slug}.deploy.localhost:${server.port}/`);
    expect(first.log).toMatch(/Stored \d+ files/);
    const page = await hostGet(first.url);
    expect(page.status).toBe(200);
    expect(page.body).toBe("<h1>Version one</h1>\n");
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    const css = await hostGet(`${first.url}styles.css`);
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await hostGet(`${first.url}missing.png`)).status).toBe(404);
    // The stored artifact is read-only and outside the project.
    const stored = path.join(server.dataDir, "deployments", first.id, "index.html");
    expect(fs.readFileSync(stored, "utf8")).toBe("<h1>Version one</h1>\n");
    expect(fs.statSync(stored).mode & 0o222).toBe(0);
  });

  it("the stable URL serves the promoted deployment", async () => {
    const page = await hostGet(first.stable_url);
    expect(page.body).toBe("<h1>Version one</h1>\n");
    expect(page.headers["x-slipway-deployment"]).toBe(first.id);
  });

  it("is immutable: after editing the project, the old deployment still serves the old content", async () => {
    await writeFile(api, alice, project.id, "index.html", "<h1>Version two</h1>\n");
    second = await deploy();
    expect(second.state).toBe("ready");
    expect(second.checkpoint_sha).not.toBe(first.checkpoint_sha);
    expect((await hostGet(second.url)).body).toBe("<h1>Version two</h1>\n");
    expect((await hostGet(first.url)).body).toBe("<h1>Version one</h1>\n");
    expect((await hostGet(second.stable_url)).body).toBe("<h1>Version two</h1>\n");
  });

  it("does not serve paths outside the artifact, nor the project's API", async () => {
    expect((await hostGet(`${first.url}..%2f..%2fslipway.duckdb`)).status).toBe(404);
    expect((await hostGet(`${first.url}%2e%2e/%2e%2e/slipway.duckdb`)).status).toBe(404);
    const apiThroughDeploy = await hostGet(`${first.url}api/v1/projects/${project.id}/files`);
    expect(apiThroughDeploy.body).not.toContain('index.html"');
  });

  it("promoting an older deployment is an instant rollback; promoting again rolls forward", async () => {
    const res = await api(alice, `/api/v1/projects/${project.id}/deployments/${first.id}/promote`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: first.id, promoted: true });
    expect((await hostGet(first.stable_url)).body).toBe("<h1>Version one</h1>\n");
    await api(alice, `/api/v1/projects/${project.id}/deployments/${second.id}/promote`, { method: "POST" });
    expect((await hostGet(first.stable_url)).body).toBe("<h1>Version two</h1>\n");
  });

  it("a failed build is failed with its log, and the previous deployment keeps serving", async () => {
    const del = await api(alice, `/api/v1/projects/${project.id}/files/content?path=index.html`, { method: "DELETE" });
    expect(del.status).toBe(200);
    const failed = await deploy();
    expect(failed).toMatchObject({ state: "failed", promoted: false, error: "There is no index.html to serve" });
    expect(failed.log).toContain("Failed: There is no index.html to serve");
    expect((await hostGet(failed.url)).status).toBe(404);
    expect((await hostGet(first.stable_url)).body).toBe("<h1>Version two</h1>\n");
    await writeFile(api, alice, project.id, "index.html", "<h1>Version three</h1>\n");
  });

  it("private deployments: 404 without the owner's cookie; the access link sets it", async () => {
    const priv = await deploy({ visibility: "private", promote: false });
    expect(priv).toMatchObject({ state: "ready", visibility: "private", promoted: false });
    expect((await hostGet(priv.url)).status).toBe(404);
    expect(priv.access_url).toContain("/__slipway/auth?token=");
    const forged = await hostGet(priv.access_url.replace(/token=[^&]+/, "token=abc.def"));
    expect(forged.status).toBe(404);
    const grant = await hostGet(priv.access_url);
    expect(grant.status).toBe(302);
    const cookie = String(grant.headers["set-cookie"]).split(";")[0]!;
    expect(cookie).toMatch(/^slipway_deploy=/);
    const page = await hostGet(priv.url, cookie);
    expect(page.status).toBe(200);
    expect(page.body).toBe("<h1>Version three</h1>\n");
    // The stable URL was not moved (promote: false).
    expect((await hostGet(first.stable_url)).body).toBe("<h1>Version two</h1>\n");

    const pub = await api(alice, `/api/v1/projects/${project.id}/deployments/${priv.id}`, { method: "PATCH", json: { visibility: "public" } });
    expect(pub.status).toBe(200);
    expect((await hostGet(priv.url)).status).toBe(200);
  });

  it("lists deployments newest first; other users get 404", async () => {
    const res = await api(alice, `/api/v1/projects/${project.id}/deployments`);
    expect(res.status).toBe(200);
    const list = res.body.data as Deployment[];
    expect(list.map((d) => d.state)).toEqual(["ready", "failed", "ready", "ready"]);
    expect(list.filter((d) => d.promoted).map((d) => d.id)).toEqual([second.id]);
    expect(res.body.metadata).toMatchObject({ total: 4 });
    expect((await api(bob, `/api/v1/projects/${project.id}/deployments`)).status).toBe(404);
    expect((await api(bob, `/api/v1/projects/${project.id}/deployments/${first.id}`)).status).toBe(404);
    expect((await api(bob, `/api/v1/projects/${project.id}/deployments/${first.id}/promote`, { method: "POST" })).status).toBe(404);
    expect((await api(bob, `/api/v1/projects/${project.id}/deployments/${first.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("only a ready deployment can be promoted", async () => {
    const list = (await api(alice, `/api/v1/projects/${project.id}/deployments`)).body.data as Deployment[];
    const failed = list.find((d) => d.state === "failed")!;
    const res = await api(alice, `/api/v1/projects/${project.id}/deployments/${failed.id}/promote`, { method: "POST" });
    expect(res.status).toBe(409);
  });

  it("deleting removes the files; deleting the promoted one takes the stable URL down", async () => {
    const res = await api(alice, `/api/v1/projects/${project.id}/deployments/${first.id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(fs.existsSync(path.join(server.dataDir, "deployments", first.id))).toBe(false);
    expect((await hostGet(first.url)).status).toBe(404);
    expect((await api(alice, `/api/v1/projects/${project.id}/deployments/${first.id}`)).status).toBe(404);

    await api(alice, `/api/v1/projects/${project.id}/deployments/${second.id}`, { method: "DELETE" });
    expect((await hostGet(second.stable_url)).status).toBe(404);
  });

  it("deleting the project removes its deployments, their files and both URLs", async () => {
    const doomed = await createProject(api, alice, "Short-lived site");
    const saved = project;
    project = doomed;
    const deployment = await deploy();
    project = saved;
    expect(deployment.state).toBe("ready");
    expect((await hostGet(deployment.url)).status).toBe(200);
    expect((await hostGet(deployment.stable_url)).status).toBe(200);

    expect((await api(alice, `/api/v1/projects/${doomed.id}`, { method: "DELETE" })).status).toBe(200);
    expect(fs.existsSync(path.join(server.dataDir, "deployments", deployment.id))).toBe(false);
    expect((await hostGet(deployment.url)).status).toBe(404);
    expect((await hostGet(deployment.stable_url)).status).toBe(404);
  });
});
