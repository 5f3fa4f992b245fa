import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, instanceContainers, removeInstanceContainers, requireEngine } from "../containers/support";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { apiFor, createProject, writeFile, type Who } from "./helpers";

// Server-side templates (node-api here) are deployed as a stored app and served by their production
// server in a container of their own, started on the first request to the deployment's host.

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
  start_command: string | null;
  log: string;
  error: string | null;
};

/** An app that reports what it sees: its version, environment, whether /app is writable; echoes upgraded sockets. */
const app = (version: string) => `import fs from "node:fs";
import http from "node:http";
const server = http.createServer((req, res) => {
  let writable = true;
  try { fs.writeFileSync("/app/probe.txt", "x"); } catch { writable = false; }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ version: ${JSON.stringify(version)}, method: req.method, path: req.url, node_env: process.env.NODE_ENV, uid: process.getuid(), writable, cookie: req.headers.cookie ?? null, env: Object.keys(process.env) }));
});
server.on("upgrade", (req, socket) => {
  socket.write("HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: echo\\r\\nConnection: Upgrade\\r\\n\\r\\n");
  socket.on("data", (d) => socket.write("echo:" + d));
});
server.listen(Number(process.env.PORT ?? 3000), "0.0.0.0");
`;

function hostRequest(
  url: string,
  opts: { cookie?: string; method?: string; body?: string } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: opts.method ?? "GET",
        path: u.pathname + u.search,
        headers: { host: u.host, ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(opts.body ? { "content-type": "text/plain" } : {}) },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** A raw upgrade request through Slipway's port; resolves with the status line and, after 101, the echo of "ping". */
function upgradeEcho(url: string, cookie?: string): Promise<{ statusLine: string; echo: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write(`GET /socket HTTP/1.1\r\nHost: ${u.host}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n${cookie ? `Cookie: ${cookie}\r\n` : ""}\r\n`);
    });
    let buffer = "";
    socket.on("data", (d) => {
      buffer += d;
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const statusLine = buffer.slice(0, buffer.indexOf("\r\n"));
      if (!statusLine.includes(" 101 ")) {
        socket.destroy();
        return resolve({ statusLine, echo: "" });
      }
      const rest = buffer.slice(end + 4);
      if (rest === "") return socket.write("ping");
      if (rest.length >= "echo:ping".length) {
        socket.destroy();
        resolve({ statusLine, echo: rest });
      }
    });
    socket.on("error", reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`upgrade timed out; got ${JSON.stringify(buffer)}`));
    }, 30_000);
  });
}

async function deploy(json: unknown): Promise<Deployment> {
  const res = await api(alice, `/api/v1/projects/${project.id}/deployments`, { method: "POST", json });
  expect(res.status, res.text).toBe(202);
  const id = (res.body.data as Deployment).id;
  for (let i = 0; i < 600; i++) {
    const got = (await api(alice, `/api/v1/projects/${project.id}/deployments/${id}`)).body.data as Deployment;
    if (got.state === "ready" || got.state === "failed") return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("deployment did not finish");
}

const deploymentContainers = async (id: string) => (await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.deployment"] === id);

beforeAll(async () => {
  await requireEngine();
  server = await startServer({ env: { CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64" } });
  [alice, bob] = await Promise.all([apiKeyFor(server.url, "alice"), apiKeyFor(server.url, "bob")]);
  project = await createProject(api, alice, "Deployed API", "node-api");
}, 120_000);

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

describe("server-side deployments (node-api)", () => {
  let first: Deployment;
  let second: Deployment;

  it("stores the app and starts its production server in a hardened container on the first request", async () => {
    await writeFile(api, alice, project.id, "server.js", app("one"));
    first = await deploy({ visibility: "public" });
    expect(first, first.log).toMatchObject({ state: "ready", error: null, start_command: "node server.js" });
    expect(first.log).toContain("starts with `node server.js` on the first request");
    expect(await deploymentContainers(first.id)).toHaveLength(0);

    const res = await hostRequest(first.url, { cookie: "theme=dark" });
    expect(res.status, res.body).toBe(200);
    const seen = JSON.parse(res.body);
    expect(seen).toMatchObject({ version: "one", method: "GET", path: "/", node_env: "production", writable: false, cookie: "theme=dark" });
    expect(seen.uid).not.toBe(0);
    expect((seen.env as string[]).filter((k) => /SECRET|TOKEN|PASSWORD|DATABASE|API_KEY/i.test(k))).toEqual([]);
    // Other methods reach the app too (static deployments only allow GET/HEAD).
    expect(JSON.parse((await hostRequest(`${first.url}items`, { method: "POST", body: "x" })).body)).toMatchObject({ method: "POST", path: "/items" });

    const [container] = await deploymentContainers(first.id);
    expect(container?.State).toBe("running");
    const info = await docker.getContainer(container!.Id).inspect();
    expect(info.Config.User).not.toMatch(/^0?(:|$)/);
    expect(info.Config.Env).toContain("NODE_ENV=production");
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
    expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges:true");
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.Memory).toBe(256 * 1024 * 1024);
    expect(info.HostConfig.PidsLimit).toBe(64);
    expect(info.HostConfig.Binds).toContain(`${server.dataDir}/deployments/${first.id}:/app:ro`);
    expect(info.HostConfig.Privileged).toBe(false);
  });

  it("the stable URL and WebSocket upgrades reach the same container", async () => {
    expect(JSON.parse((await hostRequest(first.stable_url)).body)).toMatchObject({ version: "one" });
    const upgraded = await upgradeEcho(first.url);
    expect(upgraded.statusLine).toContain("101");
    expect(upgraded.echo).toBe("echo:ping");
    expect(await deploymentContainers(first.id)).toHaveLength(1);
  });

  it("is immutable: after a project edit the old deployment still runs the old app, each in its own container", async () => {
    await writeFile(api, alice, project.id, "server.js", app("two"));
    second = await deploy({ visibility: "public" });
    expect(second.state, second.log).toBe("ready");
    expect(JSON.parse((await hostRequest(second.url)).body)).toMatchObject({ version: "two" });
    expect(JSON.parse((await hostRequest(first.url)).body)).toMatchObject({ version: "one" });
    expect(JSON.parse((await hostRequest(second.stable_url)).body)).toMatchObject({ version: "two" });
    expect(await deploymentContainers(first.id)).toHaveLength(1);
    expect(await deploymentContainers(second.id)).toHaveLength(1);
  });

  it("ships the project's installed dependencies with the app (copied when the container user could edit them in place)", async () => {
    // As if installed inside the project's container: files owned by the container user.
    const dep = path.join(server.dataDir, "projects", project.id, "node_modules", "greeting");
    fs.mkdirSync(dep, { recursive: true });
    fs.writeFileSync(path.join(dep, "package.json"), JSON.stringify({ name: "greeting", type: "module", main: "index.js" }));
    fs.writeFileSync(path.join(dep, "index.js"), 'export default "hello from a dependency";\n');
    // (When Slipway runs as root the container user is 1000; otherwise Slipway's own uid, which wrote them.)
    if (process.getuid?.() === 0) for (const f of [dep, path.join(dep, "package.json"), path.join(dep, "index.js")]) fs.chownSync(f, 1000, 1000);
    await writeFile(
      api,
      alice,
      project.id,
      "server.js",
      'import http from "node:http";\nimport greeting from "greeting";\nhttp.createServer((q, s) => s.end(greeting)).listen(3000, "0.0.0.0");\n',
    );
    const withDep = await deploy({ visibility: "public", promote: false });
    expect(withDep.state, withDep.log).toBe("ready");
    fs.appendFileSync(path.join(dep, "index.js"), 'export const changed = "in place";\n');
    expect((await hostRequest(withDep.url)).body).toBe("hello from a dependency");
    const stored = path.join(server.dataDir, "deployments", withDep.id, "node_modules", "greeting", "index.js");
    expect(fs.readFileSync(stored, "utf8")).toBe('export default "hello from a dependency";\n');
    await api(alice, `/api/v1/projects/${project.id}/deployments/${withDep.id}`, { method: "DELETE" });
    fs.rmSync(path.join(server.dataDir, "projects", project.id, "node_modules"), { recursive: true, force: true });
    await writeFile(api, alice, project.id, "server.js", app("two"));
  });

  it("private: 404 (and no container) without the owner's cookie, for requests and upgrades; the access link opens it", async () => {
    const priv = await deploy({ visibility: "private", promote: false });
    expect(priv.state).toBe("ready");
    expect((await hostRequest(priv.url)).status).toBe(404);
    expect((await upgradeEcho(priv.url)).statusLine).toContain("404");
    expect(await deploymentContainers(priv.id)).toHaveLength(0);
    const forged = await hostRequest(priv.access_url.replace(/token=[^&]+/, "token=abc.def"));
    expect(forged.status).toBe(404);

    const grant = await hostRequest(priv.access_url);
    expect(grant.status).toBe(302);
    const cookie = String(grant.headers["set-cookie"]).split(";")[0]!;
    const res = await hostRequest(priv.url, { cookie: `${cookie}; theme=light` });
    expect(res.status).toBe(200);
    // The app never sees Slipway's access cookie.
    expect(JSON.parse(res.body)).toMatchObject({ version: "two", cookie: "theme=light" });
    expect((await upgradeEcho(priv.url, cookie)).echo).toBe("echo:ping");
    // Other users' API calls see nothing.
    expect((await api(bob, `/api/v1/projects/${project.id}/deployments/${priv.id}`)).status).toBe(404);
    await api(alice, `/api/v1/projects/${project.id}/deployments/${priv.id}`, { method: "DELETE" });
  });

  it("an app that cannot start answers a clear 502 page without internals; the stable URL keeps serving", async () => {
    await writeFile(api, alice, project.id, "server.js", 'console.error("boom at /internal/secret-path"); process.exit(3);\n');
    const broken = await deploy({ visibility: "public", promote: false });
    expect(broken.state).toBe("ready");
    const res = await hostRequest(broken.url);
    expect(res.status).toBe(502);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toContain("server is not running");
    expect(res.body).not.toContain("secret-path");
    expect(res.body).not.toContain("node server.js");
    expect(await deploymentContainers(broken.id)).toHaveLength(0);
    // The owner (only) reads why in the deployment's log, once.
    await hostRequest(broken.url);
    const shown = await api(alice, `/api/v1/projects/${project.id}/deployments/${broken.id}`);
    const log = (shown.body.data as Deployment).log;
    expect(log).toContain("The server did not start: `node server.js` exited. Its last output:");
    expect(log).toContain("boom at /internal/secret-path");
    expect(log.split("The server did not start").length).toBe(2);
    expect((await api(bob, `/api/v1/projects/${project.id}/deployments/${broken.id}`)).status).toBe(404);
    expect(JSON.parse((await hostRequest(second.stable_url)).body)).toMatchObject({ version: "two" });
  });

  it("deleting a deployment stops and removes its container", async () => {
    expect(await deploymentContainers(first.id)).toHaveLength(1);
    const res = await api(alice, `/api/v1/projects/${project.id}/deployments/${first.id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await deploymentContainers(first.id)).toHaveLength(0);
    expect((await hostRequest(first.url)).status).toBe(404);
    expect(JSON.parse((await hostRequest(second.url)).body)).toMatchObject({ version: "two" });
  });

  it("a restarted instance removes leftover deployment containers and starts a fresh one on demand", async () => {
    expect(await deploymentContainers(second.id)).toHaveLength(1);
    await server.stop();
    // From here on containers stop after 3 s without traffic.
    server = await startServer({ dataDir: server.dataDir, env: { CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64", PREVIEW_IDLE_MINUTES: "0.05" } });
    for (let i = 0; i < 100 && (await deploymentContainers(second.id)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await deploymentContainers(second.id)).toHaveLength(0);
    expect(JSON.parse((await hostRequest(second.url)).body)).toMatchObject({ version: "two" });
    expect(await deploymentContainers(second.id)).toHaveLength(1);
  });

  it("an idle deployment server is stopped and starts again on the next request", async () => {
    for (let i = 0; i < 200 && (await deploymentContainers(second.id)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await deploymentContainers(second.id)).toHaveLength(0);
    expect(JSON.parse((await hostRequest(second.url)).body)).toMatchObject({ version: "two" });
    expect(await deploymentContainers(second.id)).toHaveLength(1);
  });

  it("deleting the project removes its deployment containers", async () => {
    expect((await api(alice, `/api/v1/projects/${project.id}`, { method: "DELETE" })).status).toBe(200);
    for (let i = 0; i < 100 && (await deploymentContainers(second.id)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await deploymentContainers(second.id)).toHaveLength(0);
    expect((await hostRequest(second.url)).status).toBe(404);
  });
});
