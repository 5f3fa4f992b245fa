import type { DuckDBValue } from "@duckdb/node-api";
import type { RowInsert } from "./row-insert";

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/** What query modules receive: either the database or an open transaction. */
export interface Queryable {
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  one<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<void>;
  /** Inserts one row (on the database: gathered with the rows inserted in the next 20 ms, see Database.insert). */
  insert(target: RowInsert, values: DuckDBValue[]): Promise<void>;
}
