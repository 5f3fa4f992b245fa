import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import {
  api,
  createProject,
  docker,
  instanceContainers,
  instanceNetwork,
  instanceOf,
  previewCookie,
  previewHost,
  previewRequest,
  previewSocket,
  removeInstanceContainers,
  requireEngine,
  waitFor,
  writeFile,
  type Auth,
} from "./support";

/** Established TCP connections on this machine to ip:port (from /proc/net/tcp, whose addresses are little-endian hex). */
function establishedTo(ip: string, port: number): number {
  const hexIp = ip
    .split(".")
    .map((b) => Number(b).toString(16).padStart(2, "0").toUpperCase())
    .reverse()
    .join("");
  const remote = `${hexIp}:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return fs
    .readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .filter((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[2] === remote && cols[3] === "01";
    }).length;
}

let server: TestServer;
let alice: Auth;
let bob: Auth;
let project: { id: string; slug: string };
let cookie: string;

beforeAll(async () => {
  await requireEngine();
  server = await startServer({ env: { CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64", CONTAINER_CPUS: "0.5" } });
  alice = await apiKeyFor(server.url, "alice");
  bob = await apiKeyFor(server.url, "bob");
  project = await createProject(server, alice, "static");
});

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

describe("static project preview", () => {
  it("starts, becomes ready, and is served through the preview URL; a file edit is served", async () => {
    const before = await api<{ state: string }>(server, alice, "GET", `/api/v1/projects/${project.id}/container`);
    expect(before.status).toBe(200);
    expect(before.json.data.state).toBe("stopped");

    const started = await api<{ state: string; port: number; preview_url: string; started_at: string }>(
      server,
      alice,
      "POST",
      `/api/v1/projects/${project.id}/container/start`,
    );
    expect(started.status, started.text).toBe(200);
    expect(started.json.data.state).toBe("ready");
    expect(started.json.data.port).toBeGreaterThan(0);
    expect(started.json.data.started_at).toBeTruthy();
    expect(started.json.data.preview_url).toBe(`http://${project.slug}.preview.localhost:${server.port}/`);

    cookie = await previewCookie(server, alice, project.id, project.slug);
    const page = await previewRequest(server, project.slug, "/", { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Hello from Slipway");
    expect(page.body).toContain("/__livereload"); // the dev server's live-reload client

    await writeFile(server, alice, project.id, "index.html", "<!doctype html><html><body><h1>Edited through the API</h1></body></html>");
    const edited = await previewRequest(server, project.slug, "/", { cookie });
    expect(edited.body).toContain("Edited through the API");
    const css = await previewRequest(server, project.slug, "/styles.css", { cookie });
    expect(css.status).toBe(200);
    expect(css.headers["content-type"]).toContain("text/css");
  });

  /** The static template's live-reload socket through the preview proxy, once its hello frame arrived. */
  async function openLiveReload() {
    const ws = previewSocket(server, project.slug, "/__livereload", cookie);
    const messages: string[] = [];
    ws.on("message", (m) => messages.push(String(m)));
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await waitFor("hello frame", async () => messages.includes("hello"));
    return { ws, messages };
  }

  it("passes the live-reload WebSocket through the proxy, and a file edit pushes a reload", async () => {
    const { ws, messages } = await openLiveReload();
    await writeFile(server, alice, project.id, "main.js", "console.log('reloaded');\n");
    await waitFor("reload frame", async () => messages.includes("reload"));
    ws.close();
  });

  it("keeps serving and live-reloading while folders vanish and reappear (rm -rf, a folder swapped for a symlink)", async () => {
    const devServer = async () =>
      (await instanceContainers(server.dataDir)).find((c) => c.Labels["slipway.project"] === project.id && !c.Labels["slipway.role"]);
    const before = await devServer();
    expect(before?.State).toBe("running");
    // Folder trees made and removed while the dev server watches them (as npm install or a build tool does).
    const makeTree =
      'const fs = require("fs"); for (let i = 0; i < 40; i++) for (let j = 0; j < 10; j++) { const d = "churn/d" + i + "/e" + j; fs.mkdirSync(d, { recursive: true }); for (let k = 0; k < 3; k++) fs.writeFileSync(d + "/f" + k, "x"); }';
    const churn = await api<{ exit_code: number; output: string }>(server, alice, "POST", `/api/v1/projects/${project.id}/container/exec`, {
      command: `for i in 1 2 3 4 5; do node -e '${makeTree}' && rm -rf churn; done; mkdir -p swapped/inner && sleep 0.3 && rm -rf swapped && ln -s /tmp swapped && sleep 0.5 && echo churned`,
      timeout_ms: 120_000,
    });
    expect(churn.status, churn.text).toBe(200);
    expect(churn.json.data.output).toContain("churned");

    const page = await previewRequest(server, project.slug, "/", { cookie });
    expect(page.status).toBe(200);
    // The same dev server process answered: it did not die (a restart would make a new container).
    const after = await devServer();
    expect(after?.Id).toBe(before!.Id);
    expect(after?.State).toBe("running");

    const { ws, messages } = await openLiveReload();
    // A folder made after the churn is watched too.
    await writeFile(server, alice, project.id, "pages/deep/about.html", "<!doctype html><p>About</p>\n");
    await waitFor("reload frame", async () => messages.includes("reload"));
    ws.close();
    expect((await devServer())?.Id).toBe(before!.Id);
  });

  it("serves a new project's preview at once when it takes the slug of a project deleted a moment ago", async () => {
    const make = async () => {
      const res = await api<{ id: string; slug: string }>(server, alice, "POST", "/api/v1/projects", {
        name: "Slug reuse",
        template: "static",
        start_container: false,
      });
      expect(res.status).toBe(201);
      return res.json.data;
    };
    const first = await make();
    await previewCookie(server, alice, first.id, first.slug); // the proxy now knows the slug's project
    expect((await api(server, alice, "DELETE", `/api/v1/projects/${first.id}`)).status).toBe(200);
    const second = await make();
    expect(second.slug).toBe(first.slug);
    await previewCookie(server, alice, second.id, second.slug); // 302 with a cookie, not the deleted project's 404
    expect((await api(server, alice, "DELETE", `/api/v1/projects/${second.id}`)).status).toBe(200);
  });

  it("hides the preview from everyone but the owner", async () => {
    const anonymous = await previewRequest(server, project.slug, "/");
    expect(anonymous.status).toBe(404);
    expect(anonymous.body).not.toContain("Hello");

    // Bob cannot get a grant for Alice's project: the container routes do not exist for him.
    const bobState = await api(server, bob, "GET", `/api/v1/projects/${project.id}/container`);
    expect(bobState.status).toBe(404);
    for (const action of ["start", "stop", "restart"]) {
      expect((await api(server, bob, "POST", `/api/v1/projects/${project.id}/container/${action}`)).status).toBe(404);
    }
    expect((await api(server, bob, "GET", `/api/v1/projects/${project.id}/container/logs`)).status).toBe(404);
    expect((await api(server, bob, "POST", `/api/v1/projects/${project.id}/container/exec`, { command: "id" })).status).toBe(404);

    // Bob's own grant (for his own project) does not open Alice's preview.
    const bobProject = await createProject(server, bob, "static");
    const bobView = await api<{ preview_auth_url: string }>(server, bob, "GET", `/api/v1/projects/${bobProject.id}/container`);
    const bobToken = new URL(bobView.json.data.preview_auth_url).searchParams.get("token")!;
    const swapped = await previewRequest(server, project.slug, `/__slipway/auth?token=${encodeURIComponent(bobToken)}`);
    expect(swapped.status).toBe(404);
    const forgedCookie = await previewRequest(server, project.slug, "/", { cookie: `slipway_preview=${bobToken}` });
    expect(forgedCookie.status).toBe(404);
    const tampered = await previewRequest(server, project.slug, "/", { cookie: cookie.replace(/.$/, (c) => (c === "A" ? "B" : "A")) });
    expect(tampered.status).toBe(404);

    // A WebSocket without the owner's cookie is refused too.
    const ws = previewSocket(server, project.slug, "/__livereload");
    const status = await new Promise<number>((resolve) => {
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.once("open", () => resolve(101));
      ws.once("error", () => resolve(-1));
    });
    expect(status).toBe(404);
  });

  it("checks every request on a kept-alive connection, and reaches the dev server at its container's bridge address", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const bobProject = await createProject(server, bob, "static");
    const on = (slug: string, urlPath: string, headers: http.OutgoingHttpHeaders = {}) =>
      new Promise<{ status: number; body: string; localPort: number }>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port: server.port, path: urlPath, agent, headers: { host: previewHost(server, slug), ...headers } },
          (res) => {
            let body = "";
            const localPort = res.socket.localPort ?? 0;
            res.setEncoding("utf8");
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body, localPort }));
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error("preview request timed out")));
        req.on("error", reject);
        req.end();
      });
    try {
      const page = await on(project.slug, "/", { cookie });
      expect(page.status).toBe(200);
      expect(page.body).toContain("/__slipway/reporter.js");
      // The same connection, another project's host with Alice's grant, then no grant, then a forged one.
      const foreign = await on(bobProject.slug, "/", { cookie });
      const anonymous = await on(project.slug, "/styles.css");
      const forged = await on(project.slug, "/styles.css", { cookie: `${cookie}x` });
      const css = await on(project.slug, "/styles.css", { cookie });
      expect([foreign.status, anonymous.status, forged.status, css.status]).toEqual([404, 404, 404, 200]);
      expect(new Set([page, foreign, anonymous, forged, css].map((r) => r.localPort)).size).toBe(1);

      const [summary] = (await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.project"] === project.id);
      const info = await docker.getContainer(summary!.Id).inspect();
      const bridge = Object.values(info.NetworkSettings.Networks)[0]!.IPAddress;
      expect(bridge).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      // The relay keeps its upstream connection open while the client's is: it goes to <bridge>:3000.
      expect(establishedTo(bridge, 3000)).toBeGreaterThan(0);
    } finally {
      agent.destroy();
    }
  });

  it("runs every container hardened", async () => {
    const [summary] = (await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.project"] === project.id);
    expect(summary).toBeDefined();
    const info = await docker.getContainer(summary!.Id).inspect();
    const host = info.HostConfig;
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(["ALL"]);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.SecurityOpt).toContain("no-new-privileges:true");
    expect(info.Config.User).toMatch(/^\d+:\d+$/);
    expect(info.Config.User.startsWith("0:")).toBe(false);
    expect(host.Memory).toBe(256 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(0.5e9);
    expect(host.PidsLimit).toBe(64);
    expect(host.ReadonlyRootfs).toBe(true);
    // On the instance's own bridge network, where containers cannot reach each other.
    const network = await instanceNetwork(server.dataDir);
    expect(network?.Name).toBe(`slipway-${instanceOf(server.dataDir)}`);
    expect(network?.Driver).toBe("bridge");
    expect(network?.Options?.["com.docker.network.bridge.enable_icc"]).toBe("false");
    expect(network?.Labels?.["slipway.instance"]).toBe(instanceOf(server.dataDir));
    expect(host.NetworkMode).toBe(network!.Id);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([network!.Name]);
    expect(info.Config.Labels["slipway.owner"]).toBe(alice.userId);
    // Only the project folder is writable; the one other mount is Slipway's read-only dev-server helper.
    const mounts = info.Mounts.map((m) => ({ source: m.Source, destination: m.Destination, rw: m.RW }));
    expect(mounts.find((m) => m.destination === "/app")).toEqual({ source: `${server.dataDir}/projects/${project.id}`, destination: "/app", rw: true });
    for (const m of mounts.filter((m) => m.destination !== "/app")) expect(m.rw).toBe(false);
    expect(mounts.some((m) => m.source.includes("docker.sock"))).toBe(false);
    expect(mounts.map((m) => m.destination).sort()).toEqual(["/app", "/opt/slipway"]);
    // Published on loopback only.
    for (const bindings of Object.values(host.PortBindings as Record<string, { HostIp: string }[]>)) {
      for (const b of bindings) expect(b.HostIp).toBe("127.0.0.1");
    }
    for (const bindings of Object.values(info.NetworkSettings.Ports)) for (const b of bindings ?? []) expect(b.HostIp).toBe("127.0.0.1");
    // And from the inside: not root, no capabilities, no privilege gain, can write the project folder only.
    const exec = await api<{ exit_code: number; stdout: string }>(server, alice, "POST", `/api/v1/projects/${project.id}/container/exec`, {
      command: "id -u; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; touch /app/written-inside && echo app-ok; touch /usr/x 2>/dev/null || echo root-ro",
    });
    expect(exec.status, exec.text).toBe(200);
    const out = exec.json.data.stdout;
    expect(out.split("\n")[0]).not.toBe("0");
    expect(out).toMatch(/CapEff:\s+0000000000000000/);
    expect(out).toMatch(/NoNewPrivs:\s+1/);
    expect(out).toContain("app-ok");
    expect(out).toContain("root-ro");
  });
});
