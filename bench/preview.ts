/**
 * npm run bench:preview — project previews, each figure next to a same-run baseline.
 *
 * 1. Cold start → first 200 through the preview URL (stopped container; the preview request starts it
 *    and waits for readiness) for `static` and `vite-react`, next to a raw engine run of the same image,
 *    mount and dev command (create + start + poll the published port until it answers). Ratio ≤ 1.3 wanted.
 * 2. Throughput through the preview proxy vs straight to the container's published port (keep-alive,
 *    BENCH_CONCURRENCY connections, BENCH_REQUESTS requests of a static file; BENCH_ROUNDS interleaved rounds,
 *    medians). Ratio ≥ 0.8 wanted. The CPU per request of the Slipway process and the bare proxy's. For
 *    context, the same through a bare node:http proxy in its own process (the floor of one Node hop here),
 *    and straight to the container's bridge address (where the proxy connects: no Docker userland proxy).
 * 3. Exec round trip (POST …/container/exec `true`) p50, next to a bare dockerode exec. p50 ≤ 100 ms wanted.
 * 4. File edit (PUT …/files/content) → the new content served by the preview, p50 for `static`. ≤ 500 ms wanted.
 *
 * Needs a production build in NEXT_DIST_DIR and a Docker engine. vite-react needs its template cache
 * (installed on first use through the npm registry).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { apiKeyFor } from "../tests/helpers/auth";
import { startServer } from "../tests/helpers/server";
import { rawDockerRun } from "./docker-baseline";
import { api, createProject, docker, instanceContainers, previewCookie, previewHost, removeInstanceContainers, writeFile } from "../tests/containers/support";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const BARE_PROXY = `
const http = require("http");
const target = Number(process.argv[1]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const server = http.createServer((req, res) => {
  const up = http.request({ host: "127.0.0.1", port: target, method: req.method, path: req.url, headers: req.headers, agent });
  up.on("response", (r) => { res.writeHead(r.statusCode, r.statusMessage, r.rawHeaders); r.pipe(res); });
  up.on("error", () => res.destroy());
  up.end();
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const fmtUs = (us: number) => `${us.toFixed(0)} µs`;

/** CPU time (µs) of all threads of a process so far, from Linux's per-thread schedstat; NaN elsewhere. */
function cpuMicros(pid: number): number {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    return ns / 1000;
  } catch {
    return NaN;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function get(
  port: number,
  urlPath: string,
  headers: http.OutgoingHttpHeaders = {},
  timeoutMs = 5000,
  host = "127.0.0.1",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, path: urlPath, headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

async function main() {
  const server = await startServer({
    env: {
      LOG_LEVEL: "warn",
      TEMPLATE_CACHE_DIR: path.resolve("node_modules/.cache/slipway-template-cache"),
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  try {
    const alice = await apiKeyFor(server.url, "alice");
    console.log(`preview benchmark (${COLD_RUNS} cold starts per template, ${REQUESTS} requests at ${CONCURRENCY} connections)\n`);

    let staticProject: { id: string; slug: string } | undefined;
    let staticCookie = "";
    for (const template of ["static", "vite-react"]) {
      let project: { id: string; slug: string };
      try {
        project = await createProject(server, alice, template);
      } catch (error) {
        console.log(`${template}: skipped (${(error as Error).message.slice(0, 120)})`);
        continue;
      }
      const cookie = await previewCookie(server, alice, project.id, project.slug);
      // Warm-up: the first start may build the base image.
      await api(server, alice, "POST", `/api/v1/projects/${project.id}/container/start`);
      const [c] = (await instanceContainers(server.dataDir)).filter((x) => x.Labels["slipway.project"] === project.id);
      const spec = await docker.getContainer(c!.Id).inspect();
      const slipway: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        await api(server, alice, "POST", `/api/v1/projects/${project.id}/container/stop`);
        const t0 = performance.now();
        const res = await get(server.port, "/", { host: previewHost(server, project.slug), cookie }, 180_000);
        if (res.status !== 200) throw new Error(`preview answered ${res.status}: ${res.body.slice(0, 200)}`);
        slipway.push(performance.now() - t0);
        raw.push(await rawDockerRun(spec));
      }
      const ratio = median(slipway) / median(raw);
      console.log(
        `cold start → first 200, ${template}: slipway preview ${fmt(median(slipway))}, raw docker run + poll ${fmt(median(raw))}, ratio ${ratio.toFixed(2)}`,
      );
      if (template === "static") {
        staticProject = project;
        staticCookie = cookie;
      } else {
        await api(server, alice, "POST", `/api/v1/projects/${project.id}/container/stop`);
      }
    }
    if (!staticProject) throw new Error("no static project");
    const p = staticProject;
    const state = await api<{ port: number }>(server, alice, "POST", `/api/v1/projects/${p.id}/container/start`);
    const directPort = state.json.data.port;

    const [sc] = (await instanceContainers(server.dataDir)).filter((x) => x.Labels["slipway.project"] === p.id);
    const networks = (await docker.getContainer(sc!.Id).inspect()).NetworkSettings;
    const bridgeHost = Object.values(networks.Networks)[0]!.IPAddress;
    const bridgePort = Number(Object.keys(networks.Ports)[0]!.split("/")[0]);

    const throughput = async (port: number, headers: http.OutgoingHttpHeaders, host = "127.0.0.1") => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < REQUESTS) {
            const res = await get(port, "/styles.css", headers, 5000, host);
            if (res.status !== 200) throw new Error(`status ${res.status}`);
          }
        }),
      );
      return REQUESTS / ((performance.now() - t0) / 1000);
    };
    // Context: the floor of any Node proxy hop here: a bare node:http keep-alive proxy in its own process.
    const bareProxy = spawn(process.execPath, ["-e", BARE_PROXY, String(directPort)], { stdio: ["ignore", "pipe", "inherit"] });
    const barePort = await new Promise<number>((resolve) => bareProxy.stdout!.once("data", (d) => resolve(Number(String(d).trim()))));
    await throughput(directPort, {}); // warm-up
    await throughput(server.port, { host: previewHost(server, p.slug), cookie: staticCookie });
    await throughput(barePort, {});
    await throughput(bridgePort, {}, bridgeHost);
    // Rounds of the four, interleaved, and their medians: on a shared machine one round's figures swing by 2x.
    // CPU per request of the Slipway process and of the bare proxy counts their own work only, whatever else runs.
    const rounds: { direct: number; proxied: number; bare: number; bridge: number; serverCpu: number; bareCpu: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const direct = await throughput(directPort, {});
      const serverBefore = cpuMicros(server.proc.pid!);
      const proxied = await throughput(server.port, { host: previewHost(server, p.slug), cookie: staticCookie });
      const serverCpu = (cpuMicros(server.proc.pid!) - serverBefore) / REQUESTS;
      const bareBefore = cpuMicros(bareProxy.pid!);
      const bare = await throughput(barePort, {});
      const bareCpu = (cpuMicros(bareProxy.pid!) - bareBefore) / REQUESTS;
      const bridge = await throughput(bridgePort, {}, bridgeHost);
      rounds.push({ direct, proxied, bare, bridge, serverCpu, bareCpu });
    }
    bareProxy.kill();
    const m = (pick: (r: (typeof rounds)[number]) => number) => median(rounds.map(pick));
    console.log(
      `throughput (/styles.css, median of ${ROUNDS} rounds): slipway proxy ${m((r) => r.proxied).toFixed(0)} req/s, direct ${m((r) => r.direct).toFixed(0)} req/s,` +
        ` ratio ${m((r) => r.proxied / r.direct).toFixed(2)} (rounds ${rounds.map((r) => (r.proxied / r.direct).toFixed(2)).join(" / ")});` +
        ` bare node:http proxy ${m((r) => r.bare).toFixed(0)} req/s, ratio ${m((r) => r.bare / r.direct).toFixed(2)};` +
        ` the bridge address ${m((r) => r.bridge).toFixed(0)} req/s, the proxy ${m((r) => r.proxied / r.bridge).toFixed(2)} of it`,
    );
    if (rounds.every((r) => Number.isFinite(r.serverCpu) && Number.isFinite(r.bareCpu)))
      console.log(`proxy CPU per request: slipway process ${fmtUs(m((r) => r.serverCpu))}, bare node:http proxy process ${fmtUs(m((r) => r.bareCpu))}`);

    const execTimes: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const res = await api(server, alice, "POST", `/api/v1/projects/${p.id}/container/exec`, { command: "true" });
      if (res.status !== 200) throw new Error(`exec ${res.status}`);
      execTimes.push(performance.now() - t0);
    }
    const [c] = (await instanceContainers(server.dataDir)).filter((x) => x.Labels["slipway.project"] === p.id);
    const bare: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      const exec = await docker.getContainer(c!.Id).exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      await new Promise<void>((resolve) => {
        stream.on("end", resolve);
        stream.resume();
      });
      await exec.inspect();
      bare.push(performance.now() - t0);
    }
    console.log(`exec round trip p50: API ${fmt(median(execTimes))}, bare dockerode exec ${fmt(median(bare))}`);

    const edits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const marker = `edit-${i}-${Date.now()}`;
      const t0 = performance.now();
      await writeFile(server, alice, p.id, "index.html", `<!doctype html><html><body><h1>${marker}</h1></body></html>`);
      for (;;) {
        const res = await get(server.port, "/", { host: previewHost(server, p.slug), cookie: staticCookie });
        if (res.body.includes(marker)) break;
      }
      edits.push(performance.now() - t0);
    }
    console.log(`file edit → served by the preview p50 (static): ${fmt(median(edits))}`);
  } finally {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
