import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from "@duckdb/node-api";
import type { Params, Row } from "./queryable";

const LIMIT = 256;

/**
 * The writer connection's prepared statements, by SQL text. Parsing and planning a one-row INSERT costs DuckDB
 * more than running it (bench: 2.7 → 1.9 ms of CPU per insert), and a chat turn writes several rows. Only for a
 * connection that runs one query at a time: a statement's bound values live on the statement until it runs.
 */
export class PreparedStatements {
  private readonly statements = new Map<string, Promise<DuckDBPreparedStatement>>();

  constructor(private readonly connection: DuckDBConnection) {}

  async run(sql: string, params: Params): Promise<void> {
    const statement = await this.get(sql);
    bindParams(statement, params);
    await statement.run();
  }

  async all<T = Row>(sql: string, params: Params): Promise<T[]> {
    const statement = await this.get(sql);
    bindParams(statement, params);
    return (await statement.runAndReadAll()).getRowObjectsJson() as T[];
  }

  private get(sql: string): Promise<DuckDBPreparedStatement> {
    let statement = this.statements.get(sql);
    if (statement) {
      // Most recently used last: eviction takes the first.
      this.statements.delete(sql);
      this.statements.set(sql, statement);
      return statement;
    }
    if (this.statements.size >= LIMIT) {
      const [oldest, evicted] = this.statements.entries().next().value!;
      this.statements.delete(oldest);
      void evicted.then(
        (s) => s.destroySync(),
        () => undefined,
      );
    }
    statement = this.connection.prepare(sql);
    this.statements.set(sql, statement);
    statement.catch(() => this.statements.delete(sql));
    return statement;
  }
}

/**
 * Binds each value with the bind call for its JS type, as `statement.bind` would type it (null, BOOLEAN, INTEGER
 * or BIGINT or DOUBLE, HUGEINT, VARCHAR), but without `bind`'s intermediate DuckDB value: that is a native object
 * with a finalizer, i.e. a weak handle V8 processes in every young-generation GC. A chat turn binds dozens of
 * values; with `bind`, weak-handle processing took 4–6 ms of each scavenge during bench:chat's phase 1b, ~0 without.
 */
function bindParams(statement: DuckDBPreparedStatement, params: Params): void {
  if (Array.isArray(params)) params.forEach((value, i) => bindOne(statement, i + 1, value));
  else for (const [name, value] of Object.entries(params)) bindOne(statement, statement.parameterIndex(name), value);
}

function bindOne(statement: DuckDBPreparedStatement, index: number, value: DuckDBValue): void {
  switch (typeof value) {
    case "string":
      return statement.bindVarchar(index, value);
    case "number":
      if (!Number.isInteger(value)) return statement.bindDouble(index, value);
      return value >= -2_147_483_648 && value <= 2_147_483_647 ? statement.bindInteger(index, value) : statement.bindBigInt(index, BigInt(value));
    case "bigint":
      return statement.bindHugeInt(index, value);
    case "boolean":
      return statement.bindBoolean(index, value);
    default:
      if (value === null) return statement.bindNull(index);
      return statement.bindValue(index, value);
  }
}
