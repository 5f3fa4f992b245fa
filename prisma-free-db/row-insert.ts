/**
 * An INSERT of whole rows into one table, for any number of rows at once. Columns are named as in the table;
 * `name::TYPE` casts that column's parameter (e.g. `parts::JSON`).
 */
export class RowInsert {
  readonly columns: string[];
  private readonly casts: string[];
  private readonly statements = new Map<number, string>();

  constructor(
    readonly table: string,
    columns: string[],
  ) {
    this.columns = columns.map((c) => c.split("::")[0]!);
    this.casts = columns.map((c) => (c.includes("::") ? `::${c.split("::")[1]}` : ""));
  }

  /** Throws unless `values` is one whole row. */
  check(values: unknown[]): void {
    if (values.length !== this.columns.length) throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
  }

  /** The statement for `rows` rows; its parameters are the rows' values, one row after another. */
  sql(rows: number): string {
    let sql = this.statements.get(rows);
    if (!sql) {
      const width = this.columns.length;
      const values = Array.from({ length: rows }, (_, r) => `(${this.casts.map((cast, k) => `$${r * width + k + 1}${cast}`).join(", ")})`);
      sql = `INSERT INTO ${this.table} (${this.columns.join(", ")}) VALUES ${values.join(", ")}`;
      this.statements.set(rows, sql);
    }
    return sql;
  }
}
