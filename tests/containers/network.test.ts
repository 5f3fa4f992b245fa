import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import {
  api,
  createProject,
  docker,
  instanceContainers,
  instanceNetwork,
  previewCookie,
  previewRequest,
  removeInstanceContainers,
  requireEngine,
  type Auth,
} from "./support";

let server: TestServer;
let alice: Auth;
let bob: Auth;
let projectA: { id: string; slug: string };
let projectB: { id: string; slug: string };

type Exec = { exit_code: number | null; stdout: string; output: string };

beforeAll(async () => {
  await requireEngine();
  server = await startServer({
    env: { CONTAINER_MEMORY_MB: "256", ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}) },
  });
  alice = await apiKeyFor(server.url, "alice");
  bob = await apiKeyFor(server.url, "bob");
  projectA = await createProject(server, alice, "static");
  projectB = await createProject(server, bob, "static");
  // Both start at once: they share one network, created once.
  const [a, b] = await Promise.all([
    api<{ state: string }>(server, alice, "POST", `/api/v1/projects/${projectA.id}/container/start`),
    api<{ state: string }>(server, bob, "POST", `/api/v1/projects/${projectB.id}/container/start`),
  ]);
  expect(a.json.data.state, a.text).toBe("ready");
  expect(b.json.data.state, b.text).toBe("ready");
}, 180_000);

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

/** An HTTP GET from inside Bob's container (through the exec API); prints `reached <status>` or `unreachable <why>`. */
async function getFromB(host: string, port: number): Promise<string> {
  const script = `const r = require("http").get({ host: ${JSON.stringify(host)}, port: ${port}, path: "/", timeout: 3000 }, (res) => { console.log("reached", res.statusCode); process.exit(0); });
r.on("timeout", () => { console.log("unreachable timeout"); process.exit(0); });
r.on("error", (e) => { console.log("unreachable", e.code); process.exit(0); });`;
  const res = await api<Exec>(server, bob, "POST", `/api/v1/projects/${projectB.id}/container/exec`, { command: ["node", "-e", script] });
  expect(res.status, res.text).toBe(200);
  return res.json.data.output.trim();
}

async function devContainer(projectId: string) {
  const summary = (await instanceContainers(server.dataDir)).find((c) => c.Labels["slipway.project"] === projectId && !c.Labels["slipway.role"]);
  return docker.getContainer(summary!.Id).inspect();
}

describe("container network", () => {
  it("puts every project's container on one instance network with inter-container traffic off", async () => {
    const network = await instanceNetwork(server.dataDir);
    expect(network?.Options?.["com.docker.network.bridge.enable_icc"]).toBe("false");
    const a = await devContainer(projectA.id);
    const b = await devContainer(projectB.id);
    expect(Object.keys(a.NetworkSettings.Networks)).toEqual([network!.Name]);
    expect(Object.keys(b.NetworkSettings.Networks)).toEqual([network!.Name]);
    expect((await docker.listNetworks({ filters: { name: [network!.Name] } })).filter((n) => n.Name === network!.Name)).toHaveLength(1);
  });

  it("keeps project B's container from reaching A's dev server, published port and Slipway, while A's preview works", async () => {
    const network = await instanceNetwork(server.dataDir);
    const gateway = network!.IPAM!.Config![0]!.Gateway!;
    const a = await devContainer(projectA.id);
    const b = await devContainer(projectB.id);
    const ipA = a.NetworkSettings.Networks[network!.Name]!.IPAddress;
    const ipB = b.NetworkSettings.Networks[network!.Name]!.IPAddress;
    const publishedA = Number(Object.values(a.NetworkSettings.Ports)[0]![0]!.HostPort);

    // A's dev server answers at that address (from the host), and the probe works from inside B.
    const direct = await fetch(`http://${ipA}:3000/`, { signal: AbortSignal.timeout(10_000) });
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain("Hello from Slipway");
    expect(await getFromB(ipB, 3000)).toBe("reached 200");

    expect(await getFromB(ipA, 3000)).toMatch(/^unreachable/);
    // Ports on the host bound to 127.0.0.1 (A's published port, Slipway itself) are not reachable through the gateway.
    expect(await getFromB(gateway, publishedA)).toMatch(/^unreachable/);
    expect(await getFromB(gateway, server.port)).toMatch(/^unreachable/);

    const cookie = await previewCookie(server, alice, projectA.id, projectA.slug);
    const page = await previewRequest(server, projectA.slug, "/", { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Hello from Slipway");
  });

  it.runIf(Boolean(process.env.NODE_EXTRA_CA_CERTS))("lets containers reach the npm registry", async () => {
    const res = await api<Exec>(server, bob, "POST", `/api/v1/projects/${projectB.id}/container/exec`, {
      command: "npm view is-number@7.0.0 version",
      timeout_ms: 120_000,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.exit_code, res.json.data.output).toBe(0);
    expect(res.json.data.stdout.trim()).toBe("7.0.0");
  });
});
