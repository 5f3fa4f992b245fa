// npm run db:migrate: applies the pending migrations (prisma-free-db/migrations) to DATABASE_DIR's database and
// lists what the database holds, without starting the server. The server also migrates at every start; this is for
// upgrading ahead of a start, or checking an instance's schema. Refused while a server holds the database.
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");

async function main() {
  const { getDb, closeDb } = await import("../prisma-free-db/client");
  const db = await getDb(); // DATABASE_DIR, default ./data (the server's own default)
  const dir = db.file;
  const rows = await db.all<{ version: number; name: string }>("SELECT version, name FROM schema_migrations ORDER BY version");
  const newest = rows.at(-1);
  process.stdout.write(`${dir}: ${rows.length} migrations applied${newest ? `, the newest ${newest.version} (${newest.name})` : ""}\n`);
  await closeDb();
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
