import { execFile, spawn, type ChildProcess } from "node:child_process";
import { log } from "@/lib/log";
import { singleton } from "@/lib/shared/singleton";

/**
 * Runs git from a small helper process instead of the server's own. Starting a process copies the parent's page
 * tables: from a server of several hundred MB that costs milliseconds of the main thread per git command (tens of
 * milliseconds on a busy machine), and each agent turn runs several for its checkpoints. The helper is a few MB,
 * so starting git from it is cheap, and the server only exchanges one message with it per command.
 *
 * The helper is started on first use, shared by every copy of this module in the process (server.ts and the route
 * bundles), and started again if it dies (the commands it was running fail as git failures).
 */

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when git was killed (timeout) or could not start. */
  code: number | null;
  /** Why it failed without an exit code. */
  error?: string;
}

export interface RunOptions {
  env: Record<string, string | undefined>;
  maxBuffer: number;
  timeoutMs: number;
}

const HELPER = `
const { execFile } = require("node:child_process");
process.on("message", (m) => {
  execFile("git", m.args, { env: m.env, maxBuffer: m.maxBuffer, timeout: m.timeoutMs }, (error, stdout, stderr) => {
    process.send({ id: m.id, stdout, stderr, error: error ? { code: error.code, message: error.message } : null });
  });
});
process.on("disconnect", () => process.exit(0));
`;

/** What execFile reports of a failure, as the helper passes it on. */
type ExecError = { code?: unknown; message: string } | null;

/** The result of one git command, from execFile's callback (in the helper or here). */
function runResult(error: ExecError, stdout: string, stderr: string): RunResult {
  const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
  return { stdout, stderr, code, error: code === null && error ? error.message : undefined };
}

interface Runner {
  child: ChildProcess | null;
  next: number;
  pending: Map<number, (r: RunResult) => void>;
}

const runnerLog = log.child({ module: "checkpoints" });
function runner(): Runner {
  return singleton("gitRunner", (): Runner => ({ child: null, next: 0, pending: new Map() }));
}

function helper(r: Runner): ChildProcess {
  if (r.child) return r.child;
  const child: ChildProcess = spawn(process.execPath, ["-e", HELPER], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { PATH: process.env.PATH } as unknown as NodeJS.ProcessEnv,
  });
  child.on("message", (m: { id: number; stdout: string; stderr: string; error: ExecError }) => {
    const resolve = r.pending.get(m.id);
    r.pending.delete(m.id);
    resolve?.(runResult(m.error, m.stdout, m.stderr));
    if (r.pending.size === 0) child.unref();
  });
  const gone = (why: string) => {
    if (r.child !== child) return;
    r.child = null;
    if (r.pending.size > 0) runnerLog.warn("the git helper process stopped", { reason: why, pending: r.pending.size });
    for (const resolve of r.pending.values()) resolve({ stdout: "", stderr: "", code: null, error: `the git helper process stopped (${why})` });
    r.pending.clear();
  };
  child.on("exit", (code: number | null, signal: string | null) => gone(signal ?? `exit ${code}`));
  child.on("error", (error: Error) => gone(error.message));
  // Idle, it must not keep the server alive.
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  r.child = child;
  return child;
}

/** Runs `git args` with `env` (and nothing else from the server's environment). */
export function runGit(args: string[], opts: RunOptions): Promise<RunResult> {
  const r = runner();
  let child: ChildProcess;
  try {
    child = helper(r);
  } catch {
    return direct(args, opts);
  }
  const id = ++r.next;
  return new Promise((resolve) => {
    r.pending.set(id, resolve);
    child.ref();
    child.send({ id, args, env: opts.env, maxBuffer: opts.maxBuffer, timeoutMs: opts.timeoutMs }, (error) => {
      if (!error || !r.pending.delete(id)) return;
      resolve(direct(args, opts));
    });
  });
}

/** Without the helper (it could not be started): git straight from the server. */
function direct(args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile("git", args, { env: opts.env as NodeJS.ProcessEnv, maxBuffer: opts.maxBuffer, timeout: opts.timeoutMs }, (error, stdout, stderr) =>
      resolve(runResult(error, stdout, stderr)),
    );
  });
}
