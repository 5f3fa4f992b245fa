import type { DuckDBValue } from "@duckdb/node-api";
import type { RowInsert } from "./row-insert";

interface Queued {
  values: DuckDBValue[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Rows inserted within a short window with no other write between them, written as one multi-row INSERT per
 * table. DuckDB spends ~1 ms of CPU on any statement (even SELECT 1 through @duckdb/node-api) and ~3 ms on a
 * one-row INSERT, but ~0.5 ms per row in a 20-row one; every chat turn inserts three rows (the user's message,
 * usage, the answer), so under load most of a turn's database CPU was statement overhead.
 */
export class InsertBatch {
  static readonly MAX_ROWS = 100;
  /** How long rows gather before they are written: what the last row of a turn (its answer) waits at most. */
  static readonly WINDOW_MS = 20;
  private readonly rows = new Map<RowInsert, Queued[]>();
  private count = 0;

  get full(): boolean {
    return this.count >= InsertBatch.MAX_ROWS;
  }

  add(target: RowInsert, values: DuckDBValue[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const queued = this.rows.get(target);
      if (queued) queued.push({ values, resolve, reject });
      else this.rows.set(target, [{ values, resolve, reject }]);
      this.count++;
    });
  }

  /**
   * Writes the queued rows, one statement per table, and settles each row's promise. A statement that fails for
   * a reason `perRow` accepts (a constraint, not the disk) is retried row by row, so a bad row fails only its
   * own caller; a statement is atomic, so a failed one wrote nothing.
   */
  async write(run: (sql: string, params: DuckDBValue[]) => Promise<void>, perRow: (error: unknown) => boolean): Promise<void> {
    for (const [target, queued] of this.rows) {
      try {
        await run(
          target.sql(queued.length),
          queued.flatMap((q) => q.values),
        );
        for (const q of queued) q.resolve();
      } catch (error) {
        if (queued.length === 1 || !perRow(error)) {
          for (const q of queued) q.reject(error);
          continue;
        }
        for (const q of queued) await run(target.sql(1), q.values).then(q.resolve, q.reject);
      }
    }
  }
}
