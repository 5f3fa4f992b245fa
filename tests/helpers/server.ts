import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnop";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export function tempDir(prefix = "slipway-test-"): string {
  const base = path.resolve("tests/.tmp");
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, prefix));
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** How `npm start` runs the server (package.json's "start" script, minus NODE_ENV). */
/** How long a stopped server may take to exit before it is killed (its own shutdown waits up to 5 s for turns). */
const STOP_GRACE_MS = 20_000;
const SERVER_ARGS = ["--max-semi-space-size=64", "--import", "tsx", "server.ts"];

/** Starts the production server (as `npm start` does) on a free port with its own DuckDB directory. */
export async function startServer(opts: { env?: Record<string, string>; dataDir?: string; port?: number } = {}): Promise<TestServer> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? tempDir();
  const url = `http://localhost:${port}`;
  let out = "";
  const proc = spawn(process.execPath, SERVER_ARGS, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      NODE_ENV: "production",
      // Tells @next/env the environment is already loaded: a developer's .env must not leak into tests.
      __NEXT_PROCESSED_ENV: "true",
      PORT: String(port),
      HOST: "127.0.0.1",
      AUTH_SECRET: TEST_SECRET,
      DATABASE_DIR: dataDir,
      LOCAL_AUTH: "on",
      LOG_LEVEL: "info",
      ECHO_SOCKET: "on", // tests/api/websocket.test.ts probes the socket layer through /ws/echo
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200 || res.status === 503) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server did not answer /health within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dataDir,
    proc,
    output: () => out,
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode === null) proc.kill(signal);
      // A server whose event loop is stuck never handles SIGTERM: it is killed, so it does not outlive the tests
      // (and burn a core through the rest of the run).
      const kill = setTimeout(() => proc.kill("SIGKILL"), STOP_GRACE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(kill);
      }
    },
  };
}

/** Runs the server expecting it to fail; returns its exit code and output. */
export async function runServerExpectingExit(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, SERVER_ARGS, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR,
      NODE_ENV: "production",
      __NEXT_PROCESSED_ENV: "true",
      ...env,
    } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout!.on("data", (d) => (output += d));
  proc.stderr!.on("data", (d) => (output += d));
  const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => proc.on("exit", resolve));
  clearTimeout(timer);
  return { code, output };
}

/** Removes tests/.tmp, where tempDir() makes every test's folders (tests/global-setup.ts, before a run). */
export function removeTempDirs() {
  fs.rmSync(path.resolve("tests/.tmp"), { recursive: true, force: true });
}
