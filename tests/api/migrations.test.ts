import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, tempDir } from "../helpers/server";
import { queryDbFile } from "./support";

interface Applied {
  version: number;
  name: string;
  applied_at: string;
}

const migrationFiles = fs
  .readdirSync(path.resolve("prisma-free-db/migrations"))
  .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
  .sort();

const appliedLines = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.includes('"migration applied"'))
    .map((l) => (JSON.parse(l) as { migration: string }).migration);

describe("migrations", () => {
  const dataDir = tempDir("slipway-migrations-");
  let before: Applied[];
  let authorization: string;

  it("an empty DATABASE_DIR gets every migration, in order, each recorded once", async () => {
    expect(fs.readdirSync(dataDir)).toEqual([]);
    const server = await startServer({ dataDir });
    expect(appliedLines(server.output())).toEqual(migrationFiles);
    ({ authorization } = await apiKeyFor(server.url, "mia"));
    expect(await server.stop()).toBe(0);

    before = await queryDbFile<Applied>(dataDir, "SELECT version, name, applied_at::VARCHAR AS applied_at FROM schema_migrations ORDER BY version");
    expect(before.map((r) => r.name)).toEqual(migrationFiles);
    expect(before.map((r) => r.version)).toEqual(migrationFiles.map((f) => Number(f.slice(0, 4))));
    const tables = await queryDbFile<{ name: string }>(dataDir, "SELECT table_name AS name FROM information_schema.tables ORDER BY 1");
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["accounts", "api_tokens", "projects", "schema_migrations", "users"]));
  });

  it("an existing database keeps its data and re-applies nothing", async () => {
    const server = await startServer({ dataDir });
    expect(appliedLines(server.output())).toEqual([]);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { data: { name: string } }).data.name).toBe("mia");
    expect(await server.stop()).toBe(0);

    const after = await queryDbFile<Applied>(dataDir, "SELECT version, name, applied_at::VARCHAR AS applied_at FROM schema_migrations ORDER BY version");
    expect(after).toEqual(before);
    const users = await queryDbFile<{ n: number }>(dataDir, "SELECT count(*)::INTEGER AS n FROM users");
    expect(users).toEqual([{ n: 1 }]);
  });
});

describe("npm run db:migrate", () => {
  const run = (dataDir: string) => {
    const result = spawnSync("npx", ["tsx", "scripts/db-migrate.ts"], { env: { ...process.env, DATABASE_DIR: dataDir }, encoding: "utf8", timeout: 60_000 });
    return { status: result.status, out: result.stdout + result.stderr };
  };

  it("applies every migration to an empty DATABASE_DIR without a server, then finds nothing to do; a server then starts on that database", async () => {
    const dataDir = tempDir("slipway-db-migrate-");
    const first = run(dataDir);
    expect(first.status, first.out).toBe(0);
    expect(appliedLines(first.out)).toEqual(migrationFiles);
    expect(first.out).toContain(
      `${migrationFiles.length} migrations applied, the newest ${Number(migrationFiles.at(-1)!.slice(0, 4))} (${migrationFiles.at(-1)})`,
    );
    const again = run(dataDir);
    expect(again.status, again.out).toBe(0);
    expect(appliedLines(again.out)).toEqual([]);
    const server = await startServer({ dataDir });
    expect(appliedLines(server.output())).toEqual([]);
    expect(await server.stop()).toBe(0);
  });

  it("is refused, with the reason, while a server holds the database", async () => {
    const server = await startServer();
    try {
      const held = run(server.dataDir);
      expect(held.status).toBe(1);
      expect(held.out).toMatch(/db:migrate failed: .*locked/i);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
