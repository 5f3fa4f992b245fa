import fs from "node:fs";
import path from "node:path";
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";
import { migrate } from "./migrate";
import { PreparedStatements } from "./prepared-statements";

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/** What query modules receive: either the database or an open transaction. */
export interface Queryable {
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  one<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<void>;
}

const READERS = 4;

export class DatabaseLockedError extends Error {}

class Database implements Queryable {
  private writeChain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readerIndex = 0;
  private readonly reads = new Set<Promise<unknown>>();
  private closing = false;
  private closed = false;
  private storageError: string | undefined;
  private readonly writes: Queryable;

  constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly readers: DuckDBConnection[],
  ) {
    this.writes = connectionQueryable(writer, new PreparedStatements(writer));
  }

  private reader(): DuckDBConnection {
    this.readerIndex = (this.readerIndex + 1) % this.readers.length;
    return this.readers[this.readerIndex]!;
  }

  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    this.assertOpen();
    const read = this.reader().runAndReadAll(sql, params);
    this.reads.add(read);
    try {
      return (await read).getRowObjectsJson() as T[];
    } finally {
      this.reads.delete(read);
    }
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** A single write statement, serialized with every other write. */
  async run(sql: string, params?: Params): Promise<void> {
    await this.serialize(() => this.writes.run(sql, params));
  }

  /**
   * Runs `fn` in one transaction on the writer connection; rolls back if it throws.
   * Writes are serialized, so concurrent requests never interleave inside a transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.serialize(async () => {
      await this.writer.run("BEGIN TRANSACTION");
      try {
        const value = await fn(this.writes);
        await this.writer.run("COMMIT");
        return value;
      } catch (error) {
        await this.writer.run("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    this.pending++;
    const next = this.writeChain.then(work, work).then(
      (value) => {
        this.storageError = undefined;
        return value;
      },
      (error: unknown) => {
        throw this.storageFailure(error) ?? error;
      },
    );
    this.writeChain = next.catch(() => undefined).finally(() => this.pending--);
    return next;
  }

  /**
   * A write the disk refused (full, I/O error, or DuckDB invalidated after a fatal error) becomes a 503 and
   * marks the database unhealthy until a write succeeds again. Other errors (constraints, handler errors) pass.
   */
  private storageFailure(error: unknown): ApiError | undefined {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /No space left on device/i.test(message)
      ? "no space left on device"
      : /database has been invalidated|FATAL Error/i.test(message)
        ? "the database hit a fatal error and must be restarted"
        : /IO Error|Could not write file|Disk quota exceeded|Read-only file system/i.test(message)
          ? "storage I/O error"
          : undefined;
    if (!reason) return undefined;
    this.storageError = `writes are failing: ${reason}`;
    log.error("database write failed", { module: "db", error: message });
    return new ApiError("unavailable", `The database cannot store this right now (${reason}); nothing was saved`);
  }

  /** Why the last write failed at the storage level, until a write succeeds again. */
  get writeFailure(): string | undefined {
    return this.storageError;
  }

  private assertOpen() {
    if (this.closing || this.closed) throw new ApiError("unavailable", "The server is shutting down; retry shortly");
  }

  /**
   * Refuses new work, waits for in-flight writes and reads, checkpoints the WAL into the file, and closes.
   * Closing a connection under a running query would crash the native addon, hence the waiting.
   */
  async close(): Promise<void> {
    if (this.closing || this.closed) return;
    this.closing = true;
    await this.writeChain;
    await Promise.allSettled([...this.reads]);
    await this.writer.run("CHECKPOINT").catch(() => undefined);
    this.closed = true;
    for (const c of [this.writer, ...this.readers]) c.closeSync();
    this.instance.closeSync();
  }

  get pendingWrites(): number {
    return this.pending;
  }
}

/** Queries on one connection; parameterized statements through `prepared` when given (statements without parameters, such as migrations, may hold several). */
function connectionQueryable(connection: DuckDBConnection, prepared?: PreparedStatements): Queryable {
  const all = async <T>(sql: string, params?: Params) =>
    prepared && params ? prepared.all<T>(sql, params) : ((await connection.runAndReadAll(sql, params)).getRowObjectsJson() as T[]);
  return {
    all,
    one: async <T>(sql: string, params?: Params) => (await all<T>(sql, params))[0],
    run: async (sql, params) => {
      if (prepared && params) await prepared.run(sql, params);
      else await connection.run(sql, params);
    },
  };
}

async function open(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "slipway.duckdb");
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      const holder = /PID (\d+)/.exec(message)?.[1];
      throw new DatabaseLockedError(
        `The database file ${file} is locked by another process${holder ? ` (PID ${holder})` : ""}: is another Slipway running on this DATABASE_DIR?`,
      );
    }
    throw error;
  }
  const writer = await instance.connect();
  await migrate(connectionQueryable(writer));
  const readers = await Promise.all(Array.from({ length: READERS }, () => instance.connect()));
  log.info("database opened", { module: "db", file });
  return new Database(file, instance, writer, readers);
}

// Next evaluates modules twice in one process (server.ts and the route bundles): one instance on globalThis.
const globalForDb = globalThis as unknown as { slipwayDb?: Promise<Database> };

/** The process's one database, opened (and migrated) on first use. */
export function getDb(dir?: string): Promise<Database> {
  if (!globalForDb.slipwayDb) {
    const target = dir ?? process.env.DATABASE_DIR ?? "./data";
    globalForDb.slipwayDb = open(path.resolve(/*turbopackIgnore: true*/ target));
    globalForDb.slipwayDb.catch(() => {
      globalForDb.slipwayDb = undefined;
    });
  }
  return globalForDb.slipwayDb;
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.slipwayDb;
  globalForDb.slipwayDb = undefined;
  if (pending) await (await pending).close();
}

export type { Database };
