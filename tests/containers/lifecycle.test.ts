import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import {
  api,
  createProject,
  instanceContainers,
  previewCookie,
  previewRequest,
  previewSocket,
  removeInstanceContainers,
  requireEngine,
  waitFor,
  writeFile,
  type Auth,
} from "./support";

// Shared with tests/projects: vite-react's node_modules are installed once and hard-linked into projects.
const TEMPLATE_CACHE_DIR = path.resolve("node_modules/.cache/slipway-template-cache");

let server: TestServer;
let alice: Auth;
let project: { id: string; slug: string };

type State = { state: string; exit_code: number | null; last_error: string | null; oom_killed: boolean; port: number | null };
type Exec = { exit_code: number | null; output: string; stdout: string; stderr: string; timed_out: boolean; truncated: boolean };

beforeAll(async () => {
  await requireEngine();
  server = await startServer({
    env: {
      TEMPLATE_CACHE_DIR,
      CONTAINER_MEMORY_MB: "512",
      CONTAINER_PIDS: "128",
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  alice = await apiKeyFor(server.url, "alice");
  project = await createProject(server, alice, "static");
}, 300_000);

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

const base = () => `/api/v1/projects/${project.id}/container`;

describe("exec", () => {
  it("returns the exit code and output of a shell command or an argv array (starting the container)", async () => {
    const shell = await api<Exec>(server, alice, "POST", `${base()}/exec`, { command: "echo out; echo err >&2; pwd; exit 3" });
    expect(shell.status, shell.text).toBe(200);
    expect(shell.json.data.exit_code).toBe(3);
    expect(shell.json.data.stdout).toBe("out\n/app\n");
    expect(shell.json.data.stderr).toBe("err\n");
    expect(shell.json.data.output).toContain("err\n");
    expect(shell.json.data.timed_out).toBe(false);
    const argv = await api<Exec>(server, alice, "POST", `${base()}/exec`, { command: ["cat", "index.html"] });
    expect(argv.json.data.exit_code).toBe(0);
    expect(argv.json.data.stdout).toContain("Hello from Slipway");
  });

  it("kills a command that runs past its timeout (with its children) and returns the output so far", async () => {
    const res = await api<Exec>(server, alice, "POST", `${base()}/exec`, {
      command: "echo before; sh -c 'sleep 300' & sleep 301; echo never",
      timeout_ms: 1000,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.timed_out).toBe(true);
    expect(res.json.data.stdout).toBe("before\n");
    // The kill runs in the container (a process of its own), so on a busy machine it may land just after the answer.
    const processes = async () =>
      (await api<Exec>(server, alice, "POST", `${base()}/exec`, { command: "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done" }))
        .json.data?.stdout ?? "";
    await waitFor("the command and its children to be killed", async () => !/sleep 30[01]/.test(await processes()));
  });

  it.runIf(Boolean(process.env.NODE_EXTRA_CA_CERTS))("mounts NODE_EXTRA_CA_CERTS read-only and sets it inside", async () => {
    const res = await api<Exec>(server, alice, "POST", `${base()}/exec`, {
      command: 'echo "$NODE_EXTRA_CA_CERTS"; test -r "$NODE_EXTRA_CA_CERTS" && echo readable; echo x >> "$NODE_EXTRA_CA_CERTS" 2>/dev/null || echo read-only',
    });
    expect(res.json.data.stdout).toBe("/etc/slipway/extra-ca.pem\nreadable\nread-only\n");
  });

  it("caps the output and says so", async () => {
    const res = await api<Exec>(server, alice, "POST", `${base()}/exec`, {
      command: "i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done",
      max_output_bytes: 1000,
    });
    expect(res.json.data.truncated).toBe(true);
    expect(res.json.data.stdout.length).toBe(1000);
    expect(res.json.data.exit_code).toBe(0);
  });

  it("rejects bad bodies with field errors", async () => {
    const res = await api(server, alice, "POST", `${base()}/exec`, { command: "", extra: 1 });
    expect(res.status).toBe(400);
  });
});

describe("logs and stop/restart", () => {
  it("returns the dev server's output and follows it as a stream", async () => {
    const logs = await api<{ logs: string }>(server, alice, "GET", `${base()}/logs?tail=50`);
    expect(logs.status).toBe(200);
    expect(logs.json.data.logs).toContain("static dev server on :3000");
    const controller = new AbortController();
    const res = await fetch(`${server.url}${base()}/logs?follow=1&tail=5`, { headers: { authorization: alice.authorization }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain("static dev server");
    controller.abort();
  });

  it("stops (removing the container) and restarts", async () => {
    const stopped = await api<State>(server, alice, "POST", `${base()}/stop`);
    expect(stopped.json.data.state).toBe("stopped");
    expect((await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.project"] === project.id)).toEqual([]);
    expect((await api<State>(server, alice, "GET", base())).json.data.state).toBe("stopped");
    const restarted = await api<State>(server, alice, "POST", `${base()}/restart`);
    expect(restarted.json.data.state).toBe("ready");
    const again = await api<State>(server, alice, "POST", `${base()}/start`);
    expect(again.json.data.port).toBe(restarted.json.data.port); // already running: a no-op
  });

  it("wakes a stopped container on the first preview request, which waits for readiness", async () => {
    const cookie = await previewCookie(server, alice, project.id, project.slug);
    await api(server, alice, "POST", `${base()}/stop`);
    const page = await previewRequest(server, project.slug, "/", { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Hello from Slipway");
    expect((await api<State>(server, alice, "GET", base())).json.data.state).toBe("ready");
  });

  it("does not adopt a container a stop is removing when its state is read meanwhile", async () => {
    const cookie = await previewCookie(server, alice, project.id, project.slug);
    expect((await previewRequest(server, project.slug, "/", { cookie })).status).toBe(200);
    let stopping = true;
    const stop = api<State>(server, alice, "POST", `${base()}/stop`).finally(() => (stopping = false));
    let reads = 0;
    while (stopping) {
      await api<State>(server, alice, "GET", base());
      reads++;
    }
    expect((await stop).json.data.state).toBe("stopped");
    expect(reads).toBeGreaterThan(0);
    expect((await api<State>(server, alice, "GET", base())).json.data.state).toBe("stopped");
    const page = await previewRequest(server, project.slug, "/", { cookie });
    expect(page.status, page.body).toBe(200);
  });

  it("reports a container that runs out of pids, and Slipway keeps serving", async () => {
    const res = await api<Exec>(server, alice, "POST", `${base()}/exec`, {
      command: "i=0; while [ $i -lt 400 ]; do sleep 5 & i=$((i+1)); done; echo spawned $i",
      timeout_ms: 5000,
    });
    expect(res.status).toBe(200);
    expect(res.json.data.output).toMatch(/fork|Resource temporarily unavailable|Cannot fork|can't fork/i);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    // The backgrounded sleeps outlive the command and hold the pids for up to 5 s; until they end, starting a
    // process with threads (node, runc's own init) fails ("OCI runtime exec failed … read init-p: connection
    // reset by peer"). Counted with shell builtins only, which need no new process.
    const countSleeps = 'n=0; for p in /proc/[0-9]*; do c=; read c < $p/comm 2>/dev/null; [ "$c" = sleep ] && n=$((n+1)); done; echo "sleeping $n"';
    await waitFor(
      "the sleeps to end",
      async () => (await api<Exec>(server, alice, "POST", `${base()}/exec`, { command: countSleeps })).json.data?.stdout === "sleeping 0\n",
    );
  });
});

describe("memory", () => {
  it("reports a command killed by the memory limit (137) and Slipway keeps serving", async () => {
    // A fresh container: nothing an earlier test left running shares the memory limit with the command.
    expect((await api<State>(server, alice, "POST", `${base()}/restart`)).json.data.state).toBe("ready");
    const res = await api<Exec>(server, alice, "POST", `${base()}/exec`, {
      command: ["node", "-e", "const a = []; for (;;) a.push(Buffer.alloc(16 * 1024 * 1024, 1));"],
      timeout_ms: 60_000,
    });
    if (res.status === 409) {
      // The kernel took the dev server too, and the container stopped under the command.
      expect(res.json.error?.message).toContain("container stopped while the command was running (out of memory)");
    } else {
      expect(res.status, res.text).toBe(200);
      // Killed by the kernel (137), or node aborting on a failed allocation (134): either way, memory ran out.
      expect([134, 137], res.json.data.output.slice(-500)).toContain(res.json.data.exit_code);
      expect(res.json.data.timed_out).toBe(false);
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const state = await api<State>(server, alice, "GET", base());
    expect(["ready", "crashed"]).toContain(state.json.data.state); // the kernel picks the biggest process
    if (state.json.data.state === "crashed") expect(state.json.data.oom_killed).toBe(true);
  });
});

describe("exec when the dev server stops", () => {
  const devServerPid = "for p in /proc/[0-9]*; do grep -qa '^node.*static-server' $p/cmdline 2>/dev/null && echo ${p#/proc/}; done";

  it("reports commands whose container stops under them as a 409 with their output so far, never as exit 0", async () => {
    expect((await api<State>(server, alice, "POST", `${base()}/restart`)).json.data.state).toBe("ready");
    const dir = path.join(server.dataDir, "projects", project.id);
    const long = [1, 2, 3].map((i) =>
      api<Exec>(server, alice, "POST", `${base()}/exec`, { command: `echo started ${i}; touch .running-${i}; sleep 30; echo done ${i}` }),
    );
    await waitFor("the commands to run", async () => [1, 2, 3].every((i) => fs.existsSync(path.join(dir, `.running-${i}`))));
    // The dev server exits (as when it crashes): its container stops, and every command in it with it.
    await api<Exec>(server, alice, "POST", `${base()}/exec`, { command: `kill $(${devServerPid})` });
    const results = await Promise.all(long);
    results.forEach((res, n) => {
      expect(res.status, res.text).toBe(409);
      expect(res.json.error?.code).toBe("conflict");
      expect(res.json.error?.message).toContain("container stopped while the command was running");
      expect(res.json.error?.output).toBe(`started ${n + 1}\n`);
    });
    await waitFor("crashed state", async () => (await api<State>(server, alice, "GET", base())).json.data.state === "crashed");
  });

  it("runs long commands side by side in one-off containers while the dev server is down, each with its exit code and output", async () => {
    expect((await api<State>(server, alice, "GET", base())).json.data.state).toBe("crashed");
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => api<Exec>(server, alice, "POST", `${base()}/exec`, { command: `sleep 3; echo done ${i}; exit ${i}` })),
    );
    results.forEach((res, n) => {
      expect(res.status, res.text).toBe(200);
      expect(res.json.data.exit_code).toBe(n + 1);
      expect(res.json.data.stdout).toBe(`done ${n + 1}\n`);
    });
    // The one-off containers are gone; the crashed dev server's container stays for its logs.
    const left = (await instanceContainers(server.dataDir)).filter((c) => c.Labels["slipway.project"] === project.id);
    expect(left.map((c) => c.Labels["slipway.role"] ?? "dev")).toEqual(["dev"]);
    expect((await api<State>(server, alice, "POST", `${base()}/restart`)).json.data.state).toBe("ready");
  });
});

describe("vite-react: real HMR through the proxy, and crash reporting", () => {
  let vite: { id: string; slug: string };

  it("serves the Vite dev server and passes its HMR WebSocket through the proxy", async () => {
    vite = await createProject(server, alice, "vite-react");
    const started = await api<State>(server, alice, "POST", `/api/v1/projects/${vite.id}/container/start`);
    expect(started.json.data.state, JSON.stringify(started.json.data)).toBe("ready");
    const cookie = await previewCookie(server, alice, vite.id, vite.slug);
    const page = await previewRequest(server, vite.slug, "/", { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain("/@vite/client");
    const client = await previewRequest(server, vite.slug, "/@vite/client", { cookie });
    const token = client.body.match(/wsToken\s*=\s*"([^"]+)"/)?.[1];
    expect(token).toBeTruthy();
    // Vite compiles modules on demand: load App.jsx once so it is part of the module graph.
    expect((await previewRequest(server, vite.slug, "/src/App.jsx", { cookie })).status).toBe(200);

    const ws = previewSocket(server, vite.slug, `/?token=${encodeURIComponent(token!)}`, cookie, "vite-hmr");
    const messages: { type: string; updates?: { path: string }[] }[] = [];
    const opened = new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.on("message", (m) => messages.push(JSON.parse(String(m))));
    await opened;
    await waitFor("vite connected", async () => messages.some((m) => m.type === "connected"));
    const app = await api<{ content: string }>(server, alice, "GET", `/api/v1/projects/${vite.id}/files/content?path=src/App.jsx`);
    await writeFile(server, alice, vite.id, "src/App.jsx", app.json.data.content.replace(/<\/h1>/, " (hot)</h1>"));
    await waitFor("HMR update", async () => messages.some((m) => m.type === "update" || m.type === "full-reload"));
    ws.close();
  }, 300_000);

  it("reports crashed with the exit code and the last output when the dev command exits 1", async () => {
    const original = (await api<{ content: string }>(server, alice, "GET", `/api/v1/projects/${vite.id}/files/content?path=vite.config.js`)).json.data.content;
    await writeFile(server, alice, vite.id, "vite.config.js", 'throw new Error("config exploded on purpose");\n');
    const res = await api<State>(server, alice, "POST", `/api/v1/projects/${vite.id}/container/restart`);
    expect(res.status).toBe(200);
    expect(res.json.data.state).toBe("crashed");
    expect(res.json.data.exit_code).toBe(1);
    expect(res.json.data.last_error).toContain("exited with code 1");
    expect(res.json.data.last_error).toContain("config exploded on purpose");
    const state = await api<State>(server, alice, "GET", `/api/v1/projects/${vite.id}/container`);
    expect(state.json.data.state).toBe("crashed");
    expect(state.json.data.exit_code).toBe(1);
    // The preview says why instead of hanging.
    const cookie = await previewCookie(server, alice, vite.id, vite.slug);
    const page = await previewRequest(server, vite.slug, "/", { cookie });
    expect(page.status).toBe(502);
    expect(page.body).toContain("config exploded on purpose");
    // Reloading the page does not restart a crashed dev server over and over.
    const [crashedContainer] = await instanceContainers(server.dataDir).then((cs) => cs.filter((c) => c.Labels["slipway.project"] === vite.id));
    expect((await previewRequest(server, vite.slug, "/", { cookie })).status).toBe(502);
    const [still] = await instanceContainers(server.dataDir).then((cs) => cs.filter((c) => c.Labels["slipway.project"] === vite.id));
    expect(still!.Id).toBe(crashedContainer!.Id);
    // Commands still run (in a one-off container with the same hardening), so the project can be fixed.
    const probe = await api<Exec>(server, alice, "POST", `/api/v1/projects/${vite.id}/container/exec`, {
      command: "id -u && ls node_modules/.bin/vite && touch /app/fixed-inside",
    });
    expect(probe.status, probe.text).toBe(200);
    expect(probe.json.data.exit_code).toBe(0);
    expect(probe.json.data.stdout).toContain("node_modules/.bin/vite");
    expect(probe.json.data.stdout.split("\n")[0]).not.toBe("0");
    // A file fix makes the next preview request try again, and it comes back.
    await writeFile(server, alice, vite.id, "vite.config.js", original);
    const back = await previewRequest(server, vite.slug, "/", { cookie });
    expect(back.status, back.body).toBe(200);
    expect((await api<State>(server, alice, "GET", `/api/v1/projects/${vite.id}/container`)).json.data.state).toBe("ready");
  }, 120_000);
});
