import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { env } from "@/lib/env";
import { runGit } from "./git-runner";
import { workTreeDir } from "./work-tree";

/**
 * Checkpoints use the git CLI (installed with the system; fast on large trees, real unified diffs,
 * and no JS reimplementation of the object store to trust). The repository's git directory lives
 * OUTSIDE the project (`<DATABASE_DIR>/checkpoints/<project id>.git`), and its work tree is a private copy
 * of the project's files (./work-tree.ts), never the project directory itself: processes in the project's container can write every project file, and a `.git/config`
 * they controlled could make the host's git run commands (core.fsmonitor, hooks, filters). Here the
 * configuration is ours alone, and every call also pins: no system/global config, no hooks, no fsmonitor,
 * a fixed author, no prompts.
 */

export const AUTHOR = { name: "Slipway", email: "checkpoints@slipway.local" };

// Never stored in the repository: dependencies, git data and build output (also when a project has no .gitignore).
const EXCLUDES = ["node_modules/", ".git/", ".next/", "dist/", ".slipway-tmp-*", ".DS_Store"];

export const gitDir = (projectId: string) => path.join(env().DATABASE_DIR, "checkpoints", `${projectId.toLowerCase()}.git`);

const emptyHome = () => {
  const dir = path.join(os.tmpdir(), "slipway-git-home");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface GitResult {
  stdout: string;
  code: number;
}

/** Runs git for a project; `okCodes` lists exit codes that are answers rather than failures. */
export function git(projectId: string, args: string[], opts: { okCodes?: number[]; indexFile?: string; maxBuffer?: number } = {}): Promise<GitResult> {
  const fullArgs = [
    `--git-dir=${gitDir(projectId)}`,
    `--work-tree=${workTreeDir(projectId)}`,
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.quotePath=false",
    "-c",
    "safe.directory=*",
    "-c",
    `user.name=${AUTHOR.name}`,
    "-c",
    `user.email=${AUTHOR.email}`,
    "-c",
    "commit.gpgsign=false",
    "-c",
    "diff.external=",
    ...args,
  ];
  const childEnv = {
    PATH: process.env.PATH,
    HOME: emptyHome(),
    LANG: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_COMMITTER_NAME: AUTHOR.name,
    GIT_COMMITTER_EMAIL: AUTHOR.email,
    ...(opts.indexFile ? { GIT_INDEX_FILE: opts.indexFile } : {}),
  };
  return runGit(fullArgs, { env: childEnv, maxBuffer: opts.maxBuffer ?? 32 * 1024 * 1024, timeoutMs: 120_000 }).then(({ stdout, stderr, code, error }) => {
    if (code !== null && (code === 0 || opts.okCodes?.includes(code))) return { stdout, code };
    throw new GitError(`git ${args[0]} failed: ${stderr.trim() || error || `exit ${code}`}`, code, stderr);
  });
}

const sha1 = /^[0-9a-f]{40}$/;

/**
 * The commit HEAD points at, or null before the first commit: read from the git directory's files (HEAD, the
 * branch's ref file or packed-refs) instead of spawning `git rev-parse` (a process per checkpoint step). The git
 * directory is Slipway's alone (outside the project), so its files are trusted; anything unexpected reads as null.
 */
export function readHead(projectId: string): string | null {
  const dir = gitDir(projectId);
  let headFile: string;
  try {
    headFile = fs.readFileSync(path.join(dir, "HEAD"), "utf8").trim();
  } catch {
    return null;
  }
  if (sha1.test(headFile)) return headFile; // detached
  const ref = /^ref: (refs\/heads\/[A-Za-z0-9._/-]+)$/.exec(headFile)?.[1];
  if (!ref || ref.includes("..")) return null;
  try {
    const sha = fs.readFileSync(path.join(dir, ref), "utf8").trim();
    return sha1.test(sha) ? sha : null;
  } catch {
    // Packed by `git gc` (auto gc after commits): "<sha> <ref>" lines in packed-refs.
    let packed: string;
    try {
      packed = fs.readFileSync(path.join(dir, "packed-refs"), "utf8");
    } catch {
      return null;
    }
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    const sha = line?.slice(0, 40);
    return sha && sha1.test(sha) ? sha : null;
  }
}

/** Creates the project's git directory (idempotent). */
export async function initRepository(projectId: string): Promise<void> {
  const dir = gitDir(projectId);
  if (fs.existsSync(path.join(dir, "HEAD"))) return;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await git(projectId, ["init", "--quiet", "--initial-branch=main"]);
  fs.mkdirSync(path.join(dir, "info"), { recursive: true });
  fs.writeFileSync(path.join(dir, "info", "exclude"), `${EXCLUDES.join("\n")}\n`);
}

export function removeRepository(projectId: string): void {
  fs.rmSync(gitDir(projectId), { recursive: true, force: true });
  fs.rmSync(workTreeDir(projectId), { recursive: true, force: true });
}

/**
 * Removes the lock files a killed git left in the checkpoint repositories (`index.lock`, `HEAD.lock`,
 * `refs/heads/main.lock`, …): with one left behind, every later checkpoint of that project failed. Called once at
 * start-up, before any git command: only this process runs git on these repositories. Returns how many it removed.
 */
export function clearStaleGitLocks(): number {
  const root = path.join(env().DATABASE_DIR, "checkpoints");
  if (!fs.existsSync(root)) return 0;
  let removed = 0;
  for (const repo of fs.readdirSync(root)) {
    const dir = path.join(root, repo);
    if (!repo.endsWith(".git") || !fs.statSync(dir).isDirectory()) continue;
    const topLevel = fs.readdirSync(dir).filter((f) => f.endsWith(".lock"));
    const refs = fs.existsSync(path.join(dir, "refs"))
      ? fs
          .readdirSync(path.join(dir, "refs"), { recursive: true, encoding: "utf8" })
          .filter((f) => f.endsWith(".lock"))
          .map((f) => path.join("refs", f))
      : [];
    for (const lock of [...topLevel, ...refs]) {
      fs.rmSync(path.join(dir, lock), { force: true });
      removed++;
    }
  }
  return removed;
}
