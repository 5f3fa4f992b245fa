import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, runServerExpectingExit, startServer, TEST_SECRET, tempDir, type TestServer } from "../helpers/server";

const base = async () => ({ PORT: String(await freePort()), HOST: "127.0.0.1", DATABASE_DIR: tempDir("slipway-startup-"), AUTH_SECRET: TEST_SECRET });

/** The lines of the one start-up message that name a variable. */
const problems = (output: string) => output.split("\n").filter((l) => /^\s+- /.test(l));

describe("start-up refuses bad configuration with one message naming each variable", () => {
  it("missing AUTH_SECRET", async () => {
    const { code, output } = await runServerExpectingExit({ ...(await base()), AUTH_SECRET: undefined });
    expect(code).not.toBe(0);
    expect(output).toContain("Slipway cannot start. Invalid configuration:");
    expect(problems(output)).toEqual([expect.stringMatching(/^\s+- AUTH_SECRET: is required/)]);
  });

  it("short AUTH_SECRET and a bad PORT, both named at once", async () => {
    const { code, output } = await runServerExpectingExit({ ...(await base()), AUTH_SECRET: "short", PORT: "70000" });
    expect(code).not.toBe(0);
    const lines = problems(output);
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).toMatch(/- PORT: /);
    expect(lines.join("\n")).toMatch(/- AUTH_SECRET: must be at least 32 characters/);
    expect(output).not.toContain("short"); // never echo a secret's value back
  });

  it("a PORT that is not a number", async () => {
    const { code, output } = await runServerExpectingExit({ ...(await base()), PORT: "http" });
    expect(code).not.toBe(0);
    expect(problems(output)).toEqual([expect.stringMatching(/- PORT: /)]);
  });

  it("a CORS_ORIGINS entry that is not an http(s) origin", async () => {
    const { code, output } = await runServerExpectingExit({ ...(await base()), CORS_ORIGINS: "https://ok.example, app.example.com, ftp://files.example" });
    expect(code).not.toBe(0);
    expect(problems(output)).toEqual([
      expect.stringMatching(/- CORS_ORIGINS: "app.example.com" is not an http\(s\) origin/),
      expect.stringMatching(/- CORS_ORIGINS: "ftp:\/\/files.example" is not an http\(s\) origin/),
    ]);
  });

  it("a database whose write-ahead log cannot be replayed: says which file to move aside", async () => {
    // DuckDB cannot replay an ALTER TABLE of an indexed table with a now() default after a kill (Slipway checkpoints after migrating to
    // avoid it); a child process makes such a log, then dies by SIGKILL.
    const env = await base();
    const file = path.join(env.DATABASE_DIR, "slipway.duckdb");
    const script = `import { DuckDBInstance } from "@duckdb/node-api";
      const c = await (await DuckDBInstance.create(${JSON.stringify(file)})).connect();
      for (const s of ["CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER, made TIMESTAMPTZ DEFAULT now())", "CREATE INDEX t_p ON t (p, made)", "ALTER TABLE t ADD COLUMN s VARCHAR"]) await c.run(s);
      process.kill(process.pid, "SIGKILL");`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd() });
    expect(child.signal, child.stderr.toString()).toBe("SIGKILL");
    expect(fs.existsSync(`${file}.wal`)).toBe(true);
    const { code, output } = await runServerExpectingExit(env);
    expect(code).toBe(1);
    expect(output).toContain("Failure while replaying WAL file");
    expect(output).toContain(
      `The database's write-ahead log ${file}.wal cannot be replayed. Moving that file aside opens the database as of its last checkpoint`,
    );
  });

  it.each([
    ["openai", "api.openai.com"],
    ["anthropic", "api.anthropic.com"],
  ])("LLM_PROVIDER=%s with OPENAI_BASE_URL, which that provider would ignore: names openai-compatible", async (provider, host) => {
    const { code, output } = await runServerExpectingExit({
      ...(await base()),
      LLM_PROVIDER: provider,
      OPENAI_API_KEY: "sk-startup-secret-key",
      ANTHROPIC_API_KEY: "an-startup-secret-key",
      OPENAI_BASE_URL: "http://127.0.0.1:1234/v1",
    });
    expect(code).not.toBe(0);
    expect(problems(output)).toEqual([
      `  - OPENAI_BASE_URL: LLM_PROVIDER=${provider} always calls ${host} and would ignore it: for another OpenAI-compatible server use LLM_PROVIDER=openai-compatible, otherwise leave OPENAI_BASE_URL blank`,
    ]);
    expect(output).not.toContain("startup-secret-key");
  });

  it("half an OAuth app", async () => {
    const { code, output } = await runServerExpectingExit({ ...(await base()), GITHUB_CLIENT_ID: "id-only" });
    expect(code).not.toBe(0);
    expect(problems(output)).toEqual([expect.stringMatching(/- GITHUB_CLIENT_SECRET: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together/)]);
  });
});

describe("a DuckDB file locked by another running server", () => {
  let first: TestServer;
  afterAll(async () => {
    expect(await first?.stop()).toBe(0);
  });

  it("start-up says so and exits non-zero; the running server is unaffected", async () => {
    first = await startServer();
    const { code, output } = await runServerExpectingExit({ ...(await base()), DATABASE_DIR: first.dataDir });
    expect(code).not.toBe(0);
    expect(output).toContain(`Slipway cannot start: The database file ${first.dataDir}/slipway.duckdb is locked by another process`);
    expect(output).toMatch(/locked by another process \(PID \d+\): is another Slipway running on this DATABASE_DIR\?/);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });
});

describe(".env.example as it ships", () => {
  it("copied to .env with only AUTH_SECRET filled in, starts the server: blank variables take their defaults", async () => {
    // What @next/env loads from such a .env: every KEY= line, blank ones as "".
    const example = Object.fromEntries(
      fs
        .readFileSync(".env.example", "utf8")
        .split("\n")
        .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.values(example).filter((v) => v === "").length).toBeGreaterThan(10);
    // The test server's own port, host and data directory; everything else as the file has it.
    const { PORT: _port, HOST: _host, DATABASE_DIR: _dir, ...rest } = example;
    const server = await startServer({ env: { ...rest, AUTH_SECRET: TEST_SECRET } });
    try {
      const res = await fetch(`${server.url}/health`);
      expect(res.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
