import type { DuckDBValue } from "@duckdb/node-api";
import type { RowInsert } from "./row-insert";

interface Queued {
  values: DuckDBValue[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Rows inserted one after another with no other write between them, written as one multi-row INSERT per table.
 * DuckDB spends ~3 ms of CPU on any one-row INSERT and ~0.5 ms per row in a 20-row one, and 200 chat turns
 * starting or ending together each insert rows: queued rows ride along with the next write instead of each
 * paying for a statement.
 */
export class InsertBatch {
  static readonly MAX_ROWS = 100;
  private readonly rows = new Map<RowInsert, Queued[]>();
  private count = 0;

  get full(): boolean {
    return this.count >= InsertBatch.MAX_ROWS;
  }

  add(target: RowInsert, values: DuckDBValue[]): Promise<void> {
    if (values.length !== target.columns.length) {
      throw new Error(`${target.table}: ${values.length} values for ${target.columns.length} columns`);
    }
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
        await run(target.sql(queued.length), queued.flatMap((q) => q.values));
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
