import fs from "node:fs";
import path from "node:path";
import { log } from "@/lib/log";
import type { Queryable } from "./queryable";

// Slipway runs from its checkout; server.ts migrates before Next's bundles ever touch the database.
const migrationsDir = () => path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma-free-db", "migrations");

/** Applies numbered `NNNN_name.sql` files not yet recorded in `schema_migrations`, each in its own transaction. */
export async function migrate(db: Queryable): Promise<string[]> {
  await db.run(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
  );
  const applied = new Set((await db.all<{ version: number }>("SELECT version FROM schema_migrations")).map((r) => r.version));
  const files = fs
    .readdirSync(migrationsDir())
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const ran: string[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 4));
    if (applied.has(version)) continue;
    const sql = fs.readFileSync(path.join(migrationsDir(), file), "utf8");
    await db.run("BEGIN TRANSACTION");
    try {
      await db.run(sql);
      await db.run("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [version, file]);
      await db.run("COMMIT");
    } catch (error) {
      await db.run("ROLLBACK");
      throw new Error(`migration ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    ran.push(file);
    log.info("migration applied", { module: "db", migration: file });
  }
  // Schema changes go into the database file now, not only into the write-ahead log: DuckDB (1.5) cannot replay a
  // WAL holding an ALTER TABLE of an indexed table with a now() default (0007 is one), so a kill before the next
  // checkpoint left a database that would not open ("Failure while replaying WAL file … GetDefaultDatabase"; tests/chat/restart.test.ts).
  if (ran.length > 0) await db.run("CHECKPOINT");
  return ran;
}
