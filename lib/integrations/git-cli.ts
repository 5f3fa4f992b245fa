import { spawn } from "node:child_process";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the git CLI without a shell. A token is handed to git only through the environment
 * (GIT_CONFIG_COUNT/KEY/VALUE set http.extraHeader for this process alone), so it never appears on a
 * command line (ps), in .git/config, or in a credential store; output is scrubbed of it as well.
 */
export function git(cwd: string, args: string[], opts: { token?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<GitResult> {
  const secretEnv: Record<string, string> = {};
  if (opts.token) {
    const basic = Buffer.from(`x-access-token:${opts.token}`).toString("base64");
    Object.assign(secretEnv, {
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
      // An empty helper list: git never asks a stored credential helper, nor stores this one.
      GIT_CONFIG_KEY_1: "credential.helper",
      GIT_CONFIG_VALUE_1: "",
    });
  }
  return new Promise((resolve, reject) => {
    const proc = spawn("git", args, {
      cwd,
      env: {
        NODE_ENV: process.env.NODE_ENV,
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        GIT_TERMINAL_PROMPT: "0",
        GIT_ASKPASS: "/bin/false",
        GIT_CONFIG_NOSYSTEM: "1",
        LC_ALL: "C",
        ...opts.env,
        ...secretEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d: Buffer) => (stdout += d));
    proc.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    proc.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.on("close", (code) => {
      clearTimeout(timer);
      const scrub = (s: string) => (opts.token ? s.split(opts.token).join("***") : s);
      resolve({ code: code ?? -1, stdout: scrub(stdout), stderr: scrub(stderr) });
    });
  });
}

/** Like `git` but throws on a non-zero exit (for commands that must not fail). */
export async function gitOk(cwd: string, args: string[], opts: Parameters<typeof git>[2] = {}): Promise<string> {
  const result = await git(cwd, args, opts);
  if (result.code !== 0) throw new Error(`git ${args[0]} failed (${result.code}): ${result.stderr.trim().slice(0, 500)}`);
  return result.stdout;
}
