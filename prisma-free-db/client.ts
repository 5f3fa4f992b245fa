import fs from "node:fs";
import path from "node:path";
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";
import { InsertBatch } from "./insert-batch";
import { migrate } from "./migrate";
import { PreparedStatements } from "./prepared-statements";
import type { Params, Queryable, Row } from "./queryable";
import type { RowInsert } from "./row-insert";
import { singleton } from "@/lib/shared/singleton";

export type { Params, Queryable, Row };

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
  /** Rows gathering for their multi-row INSERT (see insert). */
  private openBatch: { batch: InsertBatch; timer: NodeJS.Timeout } | null = null;

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
    this.closeBatch();
    await this.serialize(() => this.writes.run(sql, params));
  }

  /**
   * One row, gathered with the rows inserted in the next InsertBatch.WINDOW_MS (up to InsertBatch.MAX_ROWS) and
   * written with them as one multi-row INSERT per table. Any other write closes the gathering first, so writes
   * keep the order they were made in. Resolves once the row is stored.
   */
  insert(target: RowInsert, values: DuckDBValue[]): Promise<void> {
    this.assertOpen();
    target.check(values);
    this.openBatch ??= { batch: new InsertBatch(), timer: setTimeout(() => this.closeBatch(), InsertBatch.WINDOW_MS) };
    const { batch } = this.openBatch;
    const stored = batch.add(target, values);
    if (batch.full) this.closeBatch();
    return stored;
  }

  /** Queues the gathered rows' write, ahead of any write made after them. */
  private closeBatch() {
    const open = this.openBatch;
    if (!open) return;
    this.openBatch = null;
    clearTimeout(open.timer);
    void this.serialize(
      () =>
        open.batch.write(
          (sql, params) => this.guard(() => this.writes.run(sql, params)),
          (error) => !(error instanceof ApiError),
        ),
      { guarded: true },
    );
  }

  /**
   * Runs `fn` in one transaction on the writer connection; rolls back if it throws.
   * Writes are serialized, so concurrent requests never interleave inside a transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.closeBatch();
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

  /** Runs `work` after every write queued before it; `guarded` work maps its own storage failures (see guard). */
  private serialize<T>(work: () => Promise<T>, { guarded = false } = {}): Promise<T> {
    this.assertOpen();
    this.pending++;
    const run = guarded ? work : () => this.guard(work);
    const next = this.writeChain.then(run, run);
    this.writeChain = next.catch(() => undefined).finally(() => this.pending--);
    return next;
  }

  /** A write's outcome also tells whether storage works (see storageFailure). */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      const value = await work();
      this.storageError = undefined;
      return value;
    } catch (error) {
      throw this.storageFailure(error) ?? error;
    }
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
   * Refuses new work, writes the rows still gathering, waits for in-flight writes and reads, checkpoints the WAL
   * into the file, and closes. Closing a connection under a running query would crash the native addon, hence the
   * waiting.
   */
  async close(): Promise<void> {
    if (this.closing || this.closed) return;
    this.closeBatch();
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
  const run = async (sql: string, params?: Params) => {
    if (prepared && params) await prepared.run(sql, params);
    else await connection.run(sql, params);
  };
  return {
    all,
    one: async <T>(sql: string, params?: Params) => (await all<T>(sql, params))[0],
    run,
    insert: async (target, values) => {
      target.check(values);
      await run(target.sql(1), values);
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
    if (/replaying WAL/i.test(message)) {
      throw new Error(
        `${message}\nThe database's write-ahead log ${file}.wal cannot be replayed. Moving that file aside opens the database as of its last checkpoint (what was written since is lost); keep the file for a report.`,
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

// Next evaluates modules twice in one process (server.ts and the route bundles): one instance for both.
const opened = () => singleton("db", () => ({ db: undefined as Promise<Database> | undefined }));

/** The process's one database, opened (and migrated) on first use. */
export function getDb(dir?: string): Promise<Database> {
  const slot = opened();
  if (!slot.db) {
    const target = dir ?? process.env.DATABASE_DIR ?? "./data";
    const db = open(path.resolve(/*turbopackIgnore: true*/ target));
    slot.db = db;
    db.catch(() => {
      if (slot.db === db) slot.db = undefined;
    });
  }
  return slot.db;
}

export async function closeDb(): Promise<void> {
  const slot = opened();
  const pending = slot.db;
  slot.db = undefined;
  if (pending) await (await pending).close();
}

export type { Database };
