/**
 * npm run bench:http — the API's overhead, measured against a same-run baseline.
 *
 * 1. Production start → first 200 on /health (median of 3 cold starts of `node --max-semi-space-size=64 --import tsx server.ts`, as `npm start`).
 * 2. Authenticated GET /api/v1/me and GET /api/v1/health at 50 concurrent keep-alive connections, next to a bare
 *    node:http server in this process that runs the same DuckDB queries through the same data layer on its own
 *    temp file (me: API-key lookup by hash, user, identities; health: the schema_migrations count).
 *    The ratio slipway/baseline req/s is the figure; Slipway's /health also asks the Docker engine (at most every 2 s).
 *    The client runs on a worker thread, so it does not share the baseline's event loop.
 * 3. The Next.js floor: bench/next-floor, a Next app whose one route handler (GET /api/v1/health) does no work,
 *    behind Next's request handler in a plain custom server (Next's router in front of every route, as by default),
 *    loaded the same way. floor/baseline is what Next's whole request pipeline costs on this Node; Slipway sends its
 *    API requests past Next's router (lib/server/api-dispatch.ts), so slipway/floor above 1 is that saving net of
 *    Slipway's own work.
 *
 * Needs a production build in NEXT_DIST_DIR (default .next) and one of bench/next-floor; builds them when missing.
 * Each endpoint runs BENCH_ROUNDS interleaved rounds (default 5) over the three servers; the medians are printed.
 * Env: BENCH_REQUESTS (per round, endpoint and server, default 4000), BENCH_CONCURRENCY (default 50), BENCH_ROUNDS,
 * BENCH_WARMUP (requests per endpoint and server before the rounds, not counted; default 3000).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { getDb } from "@/prisma-free-db/client";
import { findActiveApiTokenByHash, insertApiToken } from "@/prisma-free-db/queries/api-tokens";
import { insertAccount, listAccountsForUser } from "@/prisma-free-db/queries/accounts";
import { getUserById, insertUser } from "@/prisma-free-db/queries/users";
import { apiKeyFor } from "../tests/helpers/auth";
import { freePort } from "../tests/helpers/server";

process.env.LOG_LEVEL ??= "warn"; // the baseline shares the data layer, which logs

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3000);
const DIST = process.env.NEXT_DIST_DIR || ".next";
const SECRET = "bench-secret-0123456789-abcdefghijklmnop";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-"));

const FLOOR_DIR = path.resolve("bench/next-floor");

function ensureBuild(dir: string, distDir: string) {
  if (fs.existsSync(path.join(dir, distDir, "BUILD_ID"))) return;
  console.log(`no production build in ${path.join(dir, distDir)}: running next build…`);
  const r = spawnSync("npx", ["next", "build", dir], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error(`next build ${dir} failed`);
}

/** bench/next-floor's server, started as Slipway is (production, same semi-space flag); resolves once it answers. */
async function startFloor(): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ["--max-semi-space-size=64", "server.mjs"], {
    cwd: FLOOR_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    proc.once("message", () => resolve());
    proc.once("exit", (code) => reject(new Error(`next-floor server exited with ${code}`)));
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}

async function startSlipway(dataDir: string): Promise<{ proc: ChildProcess; url: string; firstOkMs: number }> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const t0 = performance.now();
  const proc = spawn(process.execPath, ["--max-semi-space-size=64", "--import", "tsx", "server.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXT_DIST_DIR: DIST,
      NODE_ENV: "production",
      __NEXT_PROCESSED_ENV: "true",
      PORT: String(port),
      HOST: "127.0.0.1",
      AUTH_SECRET: SECRET,
      DATABASE_DIR: dataDir,
      LOCAL_AUTH: "on",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return { proc, url, firstOkMs: performance.now() - t0 };
    } catch {
      /* not yet */
    }
    if (performance.now() - t0 > 60_000) throw new Error("server did not answer within 60 s");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(proc: ChildProcess) {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.on("exit", r));
  proc.kill("SIGTERM");
  await exited;
}

/** The baseline: node:http + the same data layer and queries, no Next, no wrapper. */
async function startBaseline(): Promise<{ url: string; authorization: string; close: () => Promise<void> }> {
  const db = await getDb(path.join(tmp, "baseline"));
  const secret = "slw_" + "b".repeat(43);
  const userId = "00000000-0000-4000-8000-000000000001";
  await insertUser(db, { id: userId, email: null, name: "bench", image: null });
  await insertAccount(db, { id: "00000000-0000-4000-8000-000000000002", userId, provider: "local", providerAccountId: "bench" });
  await insertApiToken(db, {
    id: "00000000-0000-4000-8000-000000000003",
    userId,
    name: "bench",
    prefix: secret.slice(0, 12),
    tokenHash: createHash("sha256").update(secret).digest("hex"),
  });
  const server = http.createServer(async (req, res) => {
    try {
      let body: unknown;
      if (req.url === "/api/v1/me") {
        const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
        const key = await findActiveApiTokenByHash(db, { tokenHash: createHash("sha256").update(presented).digest("hex") });
        const user = key && (await getUserById(db, { id: key.user_id }));
        if (!user) {
          res.writeHead(401).end();
          return;
        }
        const accounts = await listAccountsForUser(db, { userId: user.id });
        body = { message: "Current user", data: { ...user, identities: accounts.map((a) => ({ provider: a.provider })) }, metadata: {} };
      } else {
        const row = await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM schema_migrations");
        body = { message: "Healthy", data: { database: { ok: Boolean(row) } }, metadata: {} };
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorization: `Bearer ${secret}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

// The load generator runs on a worker thread, so the in-process baseline server does not share its event loop
// with the client (Slipway, a separate process, never does).
const loadWorkerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { url, headers, total, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let next = 0;
let errors = 0;
const one = () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.get(url, { agent, headers }, (res) => {
    res.resume();
    res.on("end", () => { latencies.push(performance.now() - t0); if (res.statusCode !== 200) errors++; resolve(); });
  });
  req.on("error", () => { errors++; resolve(); });
});
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, async () => { while (next++ < total) await one(); })).then(() => {
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  parentPort.postMessage({ rps: total / elapsed, p50: pct(50), p99: pct(99), errors });
});
`;

/** `total` GETs over `concurrency` keep-alive connections; latency per request in ms. */
function load(url: string, headers: Record<string, string>, total: number, concurrency: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(loadWorkerSource, { eval: true, workerData: { url, headers, total, concurrency } });
    worker.once("message", (r: Result) => {
      void worker.terminate();
      resolve(r);
    });
    worker.once("error", reject);
  });
}

/** Per field, the median over rounds. */
function medianOf(results: Result[]): Result {
  const mid = (pick: (r: Result) => number) => results.map(pick).sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
  return { rps: mid((r) => r.rps), p50: mid((r) => r.p50), p99: mid((r) => r.p99), errors: results.reduce((n, r) => n + r.errors, 0) };
}

const fmt = (r: Result) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms${r.errors ? `  (${r.errors} errors)` : ""}`;

async function main() {
  ensureBuild(process.cwd(), DIST);
  ensureBuild(FLOOR_DIR, ".next");
  console.log(
    `bench:http — ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}, ${REQUESTS} requests per run, ${CONCURRENCY} connections, build ${DIST}\n`,
  );

  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await startSlipway(path.join(tmp, `start-${i}`));
    starts.push(s.firstOkMs);
    await stop(s.proc);
  }
  starts.sort((a, b) => a - b);
  console.log(`production start → first 200: median ${(starts[1]! / 1000).toFixed(2)} s (runs: ${starts.map((s) => (s / 1000).toFixed(2)).join(", ")} s)\n`);

  const slipway = await startSlipway(path.join(tmp, "slipway"));
  const baseline = await startBaseline();
  let floor: Awaited<ReturnType<typeof startFloor>> | undefined;
  try {
    floor = await startFloor();
    const floorUrl = `${floor.url}/api/v1/health`;
    const { authorization } = await apiKeyFor(slipway.url, "bench");
    const targets = [
      { name: "GET /api/v1/me    ", path: "/api/v1/me", auth: true },
      { name: "GET /api/v1/health", path: "/api/v1/health", auth: false },
    ];
    for (const t of targets) {
      const slipHeaders: Record<string, string> = t.auth ? { authorization } : {};
      const baseHeaders: Record<string, string> = t.auth ? { authorization: baseline.authorization } : {};
      // Warm-up, not counted: JIT tiering, the young generation growing to its size, and (in Slipway) the chat
      // agent's modules loading a second after start all land in the first few thousand requests.
      await load(`${slipway.url}${t.path}`, slipHeaders, WARMUP, CONCURRENCY);
      await load(`${baseline.url}${t.path}`, baseHeaders, WARMUP, CONCURRENCY);
      await load(floorUrl, {}, WARMUP, CONCURRENCY);
      // Interleaved rounds, the median of each: a shared machine's slow spells hit all three alike.
      const rounds: { s: Result; b: Result; f: Result }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        rounds.push({
          s: await load(`${slipway.url}${t.path}`, slipHeaders, REQUESTS, CONCURRENCY),
          b: await load(`${baseline.url}${t.path}`, baseHeaders, REQUESTS, CONCURRENCY),
          f: await load(floorUrl, {}, REQUESTS, CONCURRENCY),
        });
      }
      const s = medianOf(rounds.map((r) => r.s));
      const b = medianOf(rounds.map((r) => r.b));
      const f = medianOf(rounds.map((r) => r.f));
      const ratios = rounds.map((r) => (r.s.rps / r.b.rps).toFixed(2)).join(", ");
      const p99s = rounds.map((r) => r.s.p99.toFixed(1)).join(", ");
      console.log(`${t.name}  slipway  ${fmt(s)}`);
      console.log(`${t.name}  baseline ${fmt(b)}`);
      console.log(`${t.name}  floor    ${fmt(f)}  (Next, a route that does nothing)`);
      console.log(
        `${t.name}  ratio ${(s.rps / b.rps).toFixed(2)} (rounds: ${ratios}; target ≥ 0.5), slipway p99 ${s.p99.toFixed(1)} ms (rounds: ${p99s}; target ≤ 50 ms)`,
      );
      console.log(`${t.name}  slipway/floor ${(s.rps / f.rps).toFixed(2)}, floor/baseline ${(f.rps / b.rps).toFixed(2)}, floor p99 ${f.p99.toFixed(1)} ms\n`);
    }
  } finally {
    await stop(slipway.proc);
    if (floor) await stop(floor.proc);
    await baseline.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
