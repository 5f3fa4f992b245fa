import { describe, expect, it } from "vitest";
import { runGit } from "@/lib/checkpoints/git-runner";
import { singleton } from "@/lib/shared/singleton";

// Checkpoints run git from a small helper process (lib/checkpoints/git-runner.ts): here, against the real git CLI.

const opts = {
  env: { PATH: process.env.PATH, HOME: "/tmp", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  maxBuffer: 1024 * 1024,
  timeoutMs: 10_000,
};
const helperPid = () => singleton("gitRunner", () => ({ child: null as { pid?: number } | null })).child?.pid;

describe("git runner", () => {
  it("runs git from a helper process and returns its output and exit code", async () => {
    const version = await runGit(["--version"], opts);
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout).toMatch(/^git version \d/);
    const pid = helperPid();
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    const failed = await runGit(["rev-parse", "--verify", "no-such-ref"], { ...opts, env: { ...opts.env, GIT_DIR: "/nonexistent" } });
    expect(failed.code).toBe(128);
    expect(failed.stderr).toMatch(/not a git repository/i);
    // Many at once, each answered with its own output.
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => runGit(["-c", `x.y=${i}`, "config", "x.y"], opts)));
    expect(many.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("kills a command past its timeout (no exit code, an error instead)", async () => {
    const slow = await runGit(["-c", "alias.nap=!sleep 5", "nap"], { ...opts, timeoutMs: 300 });
    expect(slow.code).toBeNull();
    expect(slow.error).toBeTruthy();
  });

  it("fails the running commands when the helper dies, and starts a new helper for the next one", async () => {
    const first = helperPid()!;
    const running = runGit(["-c", "alias.nap=!sleep 5", "nap"], opts);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(first, "SIGKILL");
    const result = await running;
    expect(result.code).toBeNull();
    expect(result.error).toMatch(/helper process stopped/);
    const again = await runGit(["--version"], opts);
    expect(again.code).toBe(0);
    expect(helperPid()).not.toBe(first);
  });
});
