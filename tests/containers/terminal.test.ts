import type { IncomingMessage } from "node:http";
import { StringDecoder } from "node:string_decoder";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { TERMINAL_MAX_PER_PROJECT, type TerminalServerFrame } from "@/lib/shared/terminal-protocol";
import { apiKeyFor } from "../helpers/auth";
import { startServer, TEST_SECRET, type TestServer } from "../helpers/server";
import { createProject, docker, instanceOf, removeInstanceContainers, requireEngine, waitFor, type Auth } from "./support";

let server: TestServer;
let alice: Auth;
let bob: Auth;
let project: { id: string; slug: string };
/** A cap below what a runaway writer produces on this machine, so the cap is what holds it back. */
const OUTPUT_CAP = 256 * 1024;
/** Long enough for every other test here, which all type within a few seconds. */
const IDLE_MS = 20_000;

beforeAll(async () => {
  await requireEngine();
  server = await startServer({
    env: {
      CONTAINER_MEMORY_MB: "512",
      CONTAINER_PIDS: "128",
      TERMINAL_OUTPUT_BYTES_PER_SECOND: String(OUTPUT_CAP),
      TERMINAL_IDLE_MS: String(IDLE_MS),
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  alice = await apiKeyFor(server.url, "alice");
  bob = await apiKeyFor(server.url, "bob");
  project = await createProject(server, alice, "static");
}, 300_000);

/** Every terminal a test opened is closed after it, even when the test failed half way. */
const opened: Term[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) t.ws.close();
});

afterAll(async () => {
  if (server) {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
  }
});

const terminalUrl = (projectId: string, query = "") => `ws://localhost:${server.port}/api/v1/projects/${projectId}/terminal${query}`;

/** A terminal client: collects output (the last 256 KiB as text, every byte counted) and control frames. */
class Term {
  bytes = 0;
  text = "";
  controls: TerminalServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private decoder = new StringDecoder("utf8");

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer, isBinary) => {
      if (isBinary) {
        this.bytes += data.length;
        this.text = (this.text + this.decoder.write(data)).slice(-256 * 1024);
      } else {
        this.controls.push(JSON.parse(data.toString("utf8")) as TerminalServerFrame);
      }
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }

  type(data: string) {
    this.send({ type: "input", data });
  }

  output(pattern: RegExp, timeoutMs = 30_000) {
    return waitFor(`output ${pattern}`, async () => pattern.exec(this.text) ?? undefined, timeoutMs);
  }

  control<T extends TerminalServerFrame["type"]>(type: T, timeoutMs = 60_000) {
    return waitFor(`a ${type} frame`, async () => this.controls.find((c): c is Extract<TerminalServerFrame, { type: T }> => c.type === type), timeoutMs);
  }
}

function connect(url: string, headers: Record<string, string>): Promise<Term> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const term = new Term(ws);
    opened.push(term);
    ws.on("open", () => resolve(term));
    ws.on("unexpected-response", (_req, res: IncomingMessage) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.on("error", reject);
  });
}

async function openShell(query = ""): Promise<Term> {
  const term = await connect(terminalUrl(project.id, query), { authorization: alice.authorization });
  await term.control("ready", 120_000);
  return term;
}

/** Resolves with the status and JSON body of a refused upgrade; rejects if the upgrade succeeds. */
function refusal(url: string, headers: Record<string, string>): Promise<{ status: number; body: { detail: string; error: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => {
      ws.close();
      reject(new Error("upgrade was accepted"));
    });
    ws.on("unexpected-response", (_req, res: IncomingMessage) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    ws.on("error", () => undefined);
  });
}

/** Command lines of the processes in the project's container. */
async function containerProcesses(): Promise<string[]> {
  const top = (await docker.getContainer(`slipway-${instanceOf(server.dataDir)}-${project.id}`).top({ ps_args: "-eo pid,args" })) as {
    Processes: string[][];
  };
  return top.Processes.map((p) => p.join(" "));
}

const terminalProcesses = async () =>
  (await containerProcesses()).filter((p) => p.includes(".slipway-terminal-") || /bash -l|sleep 4242|process\.stdout\.write/.test(p));

describe("terminal socket", () => {
  it("runs a login shell as the container user in the project folder (starting the container)", async () => {
    const term = await openShell();
    term.type("echo hello-$((6*7)) in $(pwd) as $(id -u)\r");
    const [, uid] = (await term.output(/hello-42 in \/app as (\d+)/))!;
    expect(Number(uid)).toBeGreaterThan(0);
    term.ws.close();
    await term.closed;
  }, 180_000);

  it("resizes the TTY: a program reads the new rows and columns from it", async () => {
    // The base image has no stty; node asks the TTY itself (TIOCGWINSZ).
    const size = "node -e 'console.log(`size=${process.stdout.rows}x${process.stdout.columns}`)'\r";
    const term = await openShell("?cols=100&rows=30");
    term.type(size);
    await term.output(/size=30x100/);
    term.send({ type: "resize", cols: 123, rows: 45 });
    term.type(size);
    await term.output(/size=45x123/);
    term.ws.close();
    await term.closed;
  });

  it("answers invalid frames with an error frame and keeps the shell", async () => {
    const term = await openShell();
    term.send({ type: "resize", cols: 0, rows: 24 });
    term.send({ type: "resize", cols: 80, rows: 501 });
    term.send({ type: "launch", data: "x" });
    term.ws.send("not json");
    await waitFor("four error frames", async () => term.controls.filter((c) => c.type === "error").length === 4);
    const messages = term.controls.flatMap((c) => (c.type === "error" ? [c.message] : []));
    expect(messages[0]).toMatch(/^Invalid frame: cols/);
    expect(messages[1]).toMatch(/^Invalid frame: rows/);
    expect(messages[3]).toMatch(/JSON/);
    term.type("echo still-$((2+3))\r");
    await term.output(/still-5/);
    term.ws.close();
    await term.closed;
  });

  it("gives the shell the container's environment and none of the server's", async () => {
    const term = await openShell();
    term.type("env | sort; echo env-done-$((1+1))\r");
    await term.output(/env-done-2/);
    expect(term.text).toContain("TERM=xterm-256color");
    expect(term.text).toContain("HOME=/tmp");
    expect(term.text).not.toContain(TEST_SECRET);
    expect(term.text).not.toContain("AUTH_SECRET");
    expect(term.text).not.toContain("DATABASE_DIR");
    term.ws.close();
    await term.closed;
  });

  it("sends an exit frame with the shell's code when it exits, then closes", async () => {
    const term = await openShell();
    term.type("exit 3\r");
    expect(await term.control("exit")).toEqual({ type: "exit", code: 3 });
    expect((await term.closed).code).toBe(1000);
  });

  it("ends the shell and what runs in it when the socket closes", async () => {
    const term = await openShell();
    term.type("sleep 4242\r");
    await waitFor("sleep running in the container", async () => (await containerProcesses()).some((p) => p.includes("sleep 4242")));
    expect((await terminalProcesses()).length).toBeGreaterThan(1);
    term.ws.close();
    await term.closed;
    await waitFor("no terminal process left", async () => (await terminalProcesses()).length === 0, 15_000);
  });

  it(`refuses a ${TERMINAL_MAX_PER_PROJECT + 1}th terminal on the project with a message, and opens one after a close`, async () => {
    const open = await Promise.all(Array.from({ length: TERMINAL_MAX_PER_PROJECT }, () => openShell()));
    const extra = await connect(terminalUrl(project.id), { authorization: alice.authorization });
    const refused = await extra.control("error");
    expect(refused.message).toMatch(new RegExp(`At most ${TERMINAL_MAX_PER_PROJECT} terminals`));
    expect((await extra.closed).code).toBe(4000);
    open[0]!.ws.close();
    await open[0]!.closed;
    const again = await openShell();
    again.type("echo again-$((3*3))\r");
    await again.output(/again-9/);
    for (const t of [...open.slice(1), again]) t.ws.close();
    await Promise.all([...open.slice(1), again].map((t) => t.closed));
    await waitFor("no terminal process left", async () => (await terminalProcesses()).length === 0, 15_000);
  }, 180_000);

  it("keeps output of a runaway command within the rate cap while the client reads slowly; the server keeps answering", async () => {
    const term = await openShell();
    const before = term.bytes;
    const started = performance.now();
    // A runaway writer (the base image has no `yes`): node writes to the TTY synchronously, as fast as it can.
    term.type(`node -e 'const b = "y\\n".repeat(32768); for (;;) process.stdout.write(b)'\r`);
    const healthStatuses: number[] = [];
    // First the client reads as fast as it can (only the rate cap holds the output back), then slowly
    // (it takes data a quarter of the time, so the server stops reading the shell while its buffer is full).
    while (performance.now() - started < 4000) {
      const slow = performance.now() - started > 2000;
      if (slow) term.ws.pause();
      const health = await fetch(`${server.url}/health`);
      healthStatuses.push(health.status);
      await new Promise((r) => setTimeout(r, 150));
      term.ws.resume();
      await new Promise((r) => setTimeout(r, 50));
    }
    term.type("\x03");
    // Bash drops a line typed while it handles the interrupt: clear the line and type it again until it runs.
    let tries = 0;
    await waitFor(
      "the shell to answer after the flood",
      async () => {
        if (tries++ % 20 === 0) term.type("\x15echo flood-over-$((40+2))\r");
        return /flood-over-42/.test(term.text);
      },
      60_000,
    );
    const seconds = (performance.now() - started) / 1000;
    const received = term.bytes - before;
    expect(healthStatuses.length).toBeGreaterThan(0);
    expect(new Set(healthStatuses)).toEqual(new Set([200]));
    // `yes` did flood (it writes far faster than the cap), and what arrived stays within the cap over the
    // whole run (plus one second's burst), with 50% slack.
    expect(received).toBeGreaterThan(64 * 1024);
    expect(received).toBeLessThan(OUTPUT_CAP * (seconds + 1) * 1.5);
    term.ws.close();
    await term.closed;
    await waitFor("no terminal process left", async () => (await terminalProcesses()).length === 0, 15_000);
  }, 120_000);

  it("closes a terminal left without input for TERMINAL_IDLE_MS, with a note, and ends its shell", async () => {
    const term = await openShell();
    term.type("sleep 4242\r");
    expect((await term.closed).code).toBe(4001);
    expect(term.text).toContain(`[Terminal closed after ${IDLE_MS / 1000} s without input]`);
    await waitFor("no terminal process left", async () => (await terminalProcesses()).length === 0, 15_000);
  }, 90_000);

  it("refuses another user's project and a missing one alike with 404", async () => {
    const foreign = await refusal(terminalUrl(project.id), { authorization: bob.authorization });
    const missing = await refusal(terminalUrl("00000000-0000-4000-8000-000000000000"), { authorization: bob.authorization });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
    expect(foreign.body.detail).toBe(missing.body.detail);
  });

  it("refuses a foreign Origin with 403 and no credentials with 401", async () => {
    const evil = await refusal(terminalUrl(project.id), { authorization: alice.authorization, origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body.detail).toBe("Origin not allowed");
    const anonymous = await refusal(terminalUrl(project.id), {});
    expect(anonymous.status).toBe(401);
  });
});
