import type { DuckDBConnection, DuckDBPreparedStatement } from "@duckdb/node-api";
import type { Params, Row } from "./client";

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
    statement.bind(params);
    await statement.run();
  }

  async all<T = Row>(sql: string, params: Params): Promise<T[]> {
    const statement = await this.get(sql);
    statement.bind(params);
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
      void evicted.then((s) => s.destroySync(), () => undefined);
    }
    statement = this.connection.prepare(sql);
    this.statements.set(sql, statement);
    statement.catch(() => this.statements.delete(sql));
    return statement;
  }
}
