import { randomUUID } from "node:crypto";
import type Docker from "dockerode";
import { ApiError } from "@/lib/errors";
import { CONTAINER_WORKDIR, containerUser } from "./config";
import { DockerDemuxer } from "./docker-streams";

export interface ExecOptions {
  /** A shell command line (run with `sh -c`) or an argv array (run as is). */
  command: string | string[];
  timeoutMs?: number;
  maxOutputBytes?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  exit_code: number | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  stdout: string;
  stderr: string;
  timed_out: boolean;
  aborted: boolean;
  truncated: boolean;
  duration_ms: number;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;

/** Collects output up to a byte cap, remembering whether anything was dropped. */
class Capped {
  private parts: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  add(data: Buffer) {
    const room = this.max - this.size;
    if (data.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = data.length > room ? data.subarray(0, room) : data;
    this.parts.push(part);
    this.size += part.length;
  }
  text() {
    return Buffer.concat(this.parts).toString("utf8");
  }
}

/** Combined and per-stream output of one command, each capped; demultiplexes Docker's raw stream. */
class CapturedOutput {
  private readonly output: Capped;
  private readonly stdout: Capped;
  private readonly stderr: Capped;
  readonly demux: DockerDemuxer;

  constructor(max: number) {
    this.output = new Capped(max);
    this.stdout = new Capped(max);
    this.stderr = new Capped(max);
    this.demux = new DockerDemuxer((kind, data) => {
      this.output.add(data);
      (kind === "stdout" ? this.stdout : this.stderr).add(data);
    });
  }

  result(r: { exitCode: number | null; timedOut: boolean; aborted: boolean; started: number }): ExecResult {
    return {
      exit_code: r.exitCode,
      output: this.output.text(),
      stdout: this.stdout.text(),
      stderr: this.stderr.text(),
      timed_out: r.timedOut,
      aborted: r.aborted,
      truncated: this.output.truncated || this.stdout.truncated || this.stderr.truncated,
      duration_ms: Math.round(performance.now() - r.started),
    };
  }
}

/**
 * Kills a process and all its descendants inside the container. The tree is read from /proc because
 * `docker exec` processes are not process-group leaders and the engine has no API to kill an exec.
 */
const KILL_TREE = `
const fs = require("fs");
const file = process.argv[1];
let root;
for (let i = 0; i < 50 && !root; i++) { try { root = Number(fs.readFileSync(file, "utf8")); } catch { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); } }
if (!root) process.exit(0);
const children = new Map();
for (const pid of fs.readdirSync("/proc").filter((n) => /^\\d+$/.test(n))) {
  try { const ppid = Number(fs.readFileSync("/proc/" + pid + "/stat", "utf8").replace(/^.*\\) /s, "").split(" ")[1]); (children.get(ppid) || children.set(ppid, []).get(ppid)).push(Number(pid)); } catch {}
}
const all = [];
const walk = (p) => { all.push(p); for (const c of children.get(p) || []) walk(c); };
walk(root);
for (const p of all) { try { process.kill(p, "SIGKILL"); } catch {} }
try { fs.unlinkSync(file); } catch {}
`;

/**
 * Kills the process whose pid is in `pidFile` inside the container, with all its descendants, and
 * removes the file. Never throws (the container may already be gone); gives up after about a second.
 */
export async function killProcessTree(container: Docker.Container, pidFile: string): Promise<void> {
  try {
    const killer = await container.exec(execOptions(["node", "-e", KILL_TREE, pidFile]));
    const s = (await killer.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
    s.resume();
    await new Promise<void>((resolve) => {
      s.on("end", resolve);
      s.on("error", resolve);
      setTimeout(resolve, 800).unref();
    });
  } catch {
    /* the container may already be gone */
  }
}

function execOptions(cmd: string[]): Docker.ExecCreateOptions {
  const { uid, gid } = containerUser();
  return { Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false, User: `${uid}:${gid}`, WorkingDir: CONTAINER_WORKDIR };
}

/** The runtime could not start the process (runc's init died, e.g. with the container at its memory limit): it never ran. */
const runtimeExecFailed = (r: ExecResult) => r.exit_code === 126 && r.output.trimStart().startsWith("OCI runtime exec failed");

/**
 * Runs a command in a running container and returns its exit code and (capped) output. On timeout or
 * abort the whole process tree is killed, and the output so far is returned within about a second. A start the
 * runtime failed (the command never ran) is tried once more after a moment: under memory pressure it is transient.
 */
export async function execInContainer(container: Docker.Container, opts: ExecOptions): Promise<ExecResult> {
  const first = await execOnce(container, opts);
  if (!runtimeExecFailed(first) || opts.signal?.aborted) return first;
  await new Promise((r) => setTimeout(r, 300));
  return execOnce(container, opts);
}

async function execOnce(container: Docker.Container, opts: ExecOptions): Promise<ExecResult> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const pidFile = `/tmp/.slipway-exec-${randomUUID()}`;
  // The outer shell records its pid (the root of the tree a kill must take down) and cleans up after itself.
  const inner = typeof opts.command === "string" ? ["sh", "-c", opts.command] : opts.command;
  const cmd = ["sh", "-c", `echo $$ > ${pidFile}; "$@"; code=$?; rm -f ${pidFile}; exit $code`, "sh", ...inner];
  const exec = await container.exec(execOptions(cmd));
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadWriteStream & { destroy: () => void };
  const captured = new CapturedOutput(max);
  stream.on("data", (chunk: Buffer) => captured.demux.push(chunk));

  let timedOut = false;
  let aborted = false;
  let killing: Promise<void> | undefined;
  let graceOver: () => void = () => undefined;
  const grace = new Promise<void>((resolve) => (graceOver = resolve));
  const kill = () => {
    // After a kill, wait at most a second for the stream to drain, then give up on it.
    if (!killing) setTimeout(graceOver, 1000).unref();
    killing ??= killProcessTree(container, pidFile);
    return killing;
  };

  const ended = new Promise<void>((resolve) => {
    stream.on("end", resolve);
    stream.on("close", resolve);
    stream.on("error", resolve);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    void kill();
  }, timeoutMs);
  timer.unref();
  const onAbort = () => {
    aborted = true;
    void kill();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });

  await Promise.race([ended, grace]);
  clearTimeout(timer);
  opts.signal?.removeEventListener("abort", onAbort);
  stream.destroy();

  let exitCode: number | null = null;
  try {
    const info = await exec.inspect();
    exitCode = info.Running ? null : (info.ExitCode ?? null);
  } catch {
    /* gone with its container */
  }
  const result = captured.result({ exitCode, timedOut, aborted, started });
  if (!timedOut && !aborted && (exitCode === null || exitCode === 137)) {
    const why = await stoppedUnderCommand(container);
    if (why) throw containerStopped(why, result.output);
  }
  return result;
}

/** Why the container stopped, when it did while a command ran in it (undefined: still running). */
async function stoppedUnderCommand(container: Docker.Container): Promise<string | undefined> {
  // The command's stream can end a moment before the engine records the container's own exit.
  await container.wait({ abortSignal: AbortSignal.timeout(2000) }).catch(() => undefined);
  try {
    const { State } = await container.inspect();
    if (State.Running) return undefined;
    return State.OOMKilled ? "out of memory" : `exit code ${State.ExitCode}`;
  } catch {
    return "it was removed";
  }
}

/**
 * A command that did not finish because its container went away: it has no exit code of its own
 * (the engine reports the SIGKILL every process got), so it is reported as an error, with the output so far.
 */
function containerStopped(why: string, output: string): ApiError {
  return new ApiError(
    "conflict",
    `The project's container stopped while the command was running (${why}); the command did not finish. Check the container's state and logs, then run it again.`,
    {
      output,
    },
  );
}

/**
 * Runs a command in a fresh, short-lived container with the project's hardened spec (used when the
 * dev server has crashed and its container is gone, so `npm install` or a fix can still run). The
 * container is removed afterwards; on timeout or abort it is killed and the output so far returned.
 */
export async function execInOneOffContainer(engine: Docker, spec: Docker.ContainerCreateOptions, opts: ExecOptions): Promise<ExecResult> {
  const started = performance.now();
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const container = await engine.createContainer({
    ...spec,
    Cmd: typeof opts.command === "string" ? ["sh", "-c", opts.command] : opts.command,
    AttachStdout: true,
    AttachStderr: true,
  });
  const captured = new CapturedOutput(max);
  let timedOut = false;
  let aborted = false;
  try {
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream;
    stream.on("data", (chunk: Buffer) => captured.demux.push(chunk));
    const drained = new Promise<void>((resolve) => {
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", resolve);
    });
    await container.start();
    // Waiting only once it runs: the engine answers a wait on a container not started yet at once, with code 0.
    const exited = container.wait();
    const kill = () => void container.kill().catch(() => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS);
    timer.unref();
    const onAbort = () => {
      aborted = true;
      kill();
    };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const result = (await exited) as { StatusCode?: number };
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
    await Promise.race([drained, new Promise((r) => setTimeout(r, 1000).unref())]);
    return captured.result({ exitCode: result.StatusCode ?? null, timedOut, aborted, started });
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
