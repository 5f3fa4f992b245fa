/**
 * npm run bench:deploy — preview deployments, with a same-run baseline.
 *
 * 1. Deploy time (POST …/deployments → ready) of a `static` project (median of BENCH_DEPLOYS), and of a
 *    `vite-react` project with a warm dependency cache and base image (the first, cold deploy is shown apart).
 * 2. Requests/s serving a deployed static page through Slipway (Host: <id>.deploy.localhost) next to a plain
 *    node:http static file server in this run serving the same artifact folder; the figure is the ratio.
 *    The load generator runs on a worker thread (keep-alive, BENCH_CONCURRENCY connections).
 *
 * 3. `node-api` (a server-side template): deploy time, the first request (starts the deployment's
 *    container) and requests/s through Slipway next to the same container reached directly.
 *
 * Needs a production build in NEXT_DIST_DIR (default .next). Env: BENCH_REQUESTS (default 5000),
 * BENCH_CONCURRENCY (default 32), BENCH_DEPLOYS (default 5), BENCH_SKIP_VITE=1, BENCH_SKIP_NODE_API=1.
 */
import fs from "node:fs";
import os from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Docker from "dockerode";
import { instanceOf } from "../tests/containers/support";
import { apiKeyFor } from "../tests/helpers/auth";
import { startServer } from "../tests/helpers/server";
import { apiFor, createProject, writeFile } from "../tests/ship/helpers";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const DEPLOYS = Number(process.env.BENCH_DEPLOYS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const loadCode = `
const http = require("node:http");
const { parentPort, workerData: { address, port, host, path, requests, concurrency } } = require("node:worker_threads");
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let sent = 0, done = 0, failed = 0;
const start = performance.now();
function one() {
  if (sent >= requests) return;
  sent++;
  http.get({ host: address, port, path, headers: { host }, agent }, (res) => {
    if (res.statusCode !== 200) failed++;
    res.resume();
    res.on("end", () => { done++; if (done === requests) finish(); else one(); });
  }).on("error", () => { failed++; done++; if (done === requests) finish(); else one(); });
}
function finish() { parentPort.postMessage({ seconds: (performance.now() - start) / 1000, failed }); agent.destroy(); }
for (let i = 0; i < concurrency; i++) one();
`;

function load(port: number, host: string, urlPath: string, address = "127.0.0.1"): Promise<{ rps: number; failed: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(loadCode, { eval: true, workerData: { address, port, host, path: urlPath, requests: REQUESTS, concurrency: CONCURRENCY } });
    worker.once("message", (m: { seconds: number; failed: number }) => {
      void worker.terminate();
      resolve({ rps: REQUESTS / m.seconds, failed: m.failed });
    });
    worker.once("error", reject);
  });
}

function fetchVia(port: number, host: string, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: urlPath, headers: { host } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

/** The baseline: a plain static file server (index.html for "/"), same headers that matter. */
function plainStaticServer(root: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) return res.writeHead(404).end();
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
      const stat = fs.statSync(file);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": stat.size });
      fs.createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function main() {
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  const server = await startServer({
    env: {
      LOG_LEVEL: "warn",
      // The dependency cache the tests fill: warm after the first run on this machine.
      TEMPLATE_CACHE_DIR: path.resolve("node_modules/.cache/slipway-template-cache"),
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  try {
    const api = apiFor(() => server.url);
    const alice = await apiKeyFor(server.url, "alice");
    const deploy = async (projectId: string) => {
      const started = performance.now();
      const res = await api(alice, `/api/v1/projects/${projectId}/deployments`, { method: "POST", json: { visibility: "public" } });
      if (res.status !== 202) throw new Error(`deploy: ${res.status} ${res.text}`);
      const id = (res.body.data as { id: string }).id;
      for (;;) {
        const got = (await api(alice, `/api/v1/projects/${projectId}/deployments/${id}`)).body.data as { state: string; url: string; log: string };
        if (got.state === "ready") return { id, url: got.url, ms: performance.now() - started };
        if (got.state === "failed") throw new Error(`deployment failed:\n${got.log}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };

    const site = await createProject(api, alice, "Bench static");
    const staticTimes: number[] = [];
    let last = { id: "", url: "", ms: 0 };
    for (let i = 0; i < DEPLOYS; i++) {
      await writeFile(api, alice, site.id, "index.html", `<!doctype html><h1>Bench ${i}</h1>${"<p>lorem ipsum dolor sit amet</p>".repeat(60)}\n`);
      last = await deploy(site.id);
      staticTimes.push(last.ms);
    }
    console.log(
      `static deploy (edit + checkpoint + copy + ready), median of ${DEPLOYS}: ${median(staticTimes).toFixed(0)} ms  [${staticTimes.map((t) => t.toFixed(0)).join(", ")}]`,
    );

    if (!process.env.BENCH_SKIP_VITE) {
      try {
        const t0 = performance.now();
        const vite = await createProject(api, alice, "Bench vite", "vite-react");
        console.log(`vite-react project created in ${(performance.now() - t0).toFixed(0)} ms (fills the template dependency cache when cold)`);
        const cold = await deploy(vite.id);
        console.log(`vite-react deploy, first (may build/import the base image): ${cold.ms.toFixed(0)} ms`);
        await writeFile(api, alice, vite.id, "src/bench.txt", "warm\n");
        const warm = await deploy(vite.id);
        console.log(`vite-react deploy, warm (cache + image ready): ${warm.ms.toFixed(0)} ms`);
      } catch (error) {
        console.log(`vite-react deploy not measured: ${error instanceof Error ? error.message.slice(0, 400) : String(error)}`);
      }
    }

    if (!process.env.BENCH_SKIP_NODE_API) {
      try {
        const apiProject = await createProject(api, alice, "Bench API", "node-api");
        const times: number[] = [];
        let deployed = { id: "", url: "", ms: 0 };
        for (let i = 0; i < 3; i++) {
          await writeFile(api, alice, apiProject.id, "bench.txt", `${i}\n`);
          deployed = await deploy(apiProject.id);
          times.push(deployed.ms);
        }
        console.log(
          `node-api deploy (edit + checkpoint + store the app + ready), median of 3: ${median(times).toFixed(0)} ms  [${times.map((t) => t.toFixed(0)).join(", ")}]`,
        );
        const apiHost = new URL(deployed.url).host;
        const t0 = performance.now();
        const first = await fetchVia(server.port, apiHost, "/health");
        console.log(`node-api first request (starts the deployment's container): ${(performance.now() - t0).toFixed(0)} ms (status ${first})`);
        const [container] = await new Docker().listContainers({ filters: { label: [`slipway.deployment=${deployed.id}`] } });
        const published = Number(container?.Ports.find((p) => p.PrivatePort === 3000)?.PublicPort);
        const bridgeIp = Object.values(container?.NetworkSettings?.Networks ?? {})[0]?.IPAddress;
        await load(server.port, apiHost, "/health");
        const viaSlipway = await load(server.port, apiHost, "/health");
        // Slipway connects to the container's bridge address when it can: the baseline takes the same path.
        const viaBridge = bridgeIp ? await load(3000, "localhost", "/health", bridgeIp) : undefined;
        const viaPublished = await load(published, "localhost", "/health");
        console.log(`node-api /health req/s at ${CONCURRENCY} connections: Slipway ${viaSlipway.rps.toFixed(0)} (${viaSlipway.failed} failed)`);
        if (viaBridge)
          console.log(`  container direct at its bridge address ${viaBridge.rps.toFixed(0)}; ratio ${(viaSlipway.rps / viaBridge.rps).toFixed(2)}`);
        console.log(
          `  container direct at its published port (Docker's userland proxy) ${viaPublished.rps.toFixed(0)}; ratio ${(viaSlipway.rps / viaPublished.rps).toFixed(2)}`,
        );
      } catch (error) {
        console.log(`node-api deploy not measured: ${error instanceof Error ? error.message.slice(0, 400) : String(error)}`);
      }
    }

    const host = new URL(last.url).host;
    const baseline = await plainStaticServer(path.join(server.dataDir, "deployments", last.id));
    const basePort = (baseline.address() as AddressInfo).port;
    await load(server.port, host, "/"); // warm-up
    await load(basePort, "localhost", "/");
    const slip = await load(server.port, host, "/");
    const plain = await load(basePort, "localhost", "/");
    baseline.close();
    console.log(`static page req/s at ${CONCURRENCY} connections, ${REQUESTS} requests:`);
    console.log(`  Slipway (${host}): ${slip.rps.toFixed(0)} req/s (${slip.failed} failed)`);
    console.log(`  plain node static server:          ${plain.rps.toFixed(0)} req/s (${plain.failed} failed)`);
    console.log(`  ratio slipway/plain: ${(slip.rps / plain.rps).toFixed(2)}`);
  } finally {
    await server.stop();
    // This run's deployment containers only (other instances may share the engine).
    const docker = new Docker();
    const mine = { label: [`slipway.instance=${instanceOf(server.dataDir)}`, "slipway.role=deploy"] };
    for (const c of await docker.listContainers({ all: true, filters: mine }).catch(() => [])) {
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
