import { randomUUID } from "node:crypto";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PreparedStatements } from "@/prisma-free-db/prepared-statements";
import { tempDir } from "../helpers/server";

/** The writer's statements bind values without DuckDB value objects; what they store must not change. */
describe("prepared statements bind every JS value type as DuckDB's own bind would", () => {
  const dir = tempDir("slipway-prepared-");
  let instance: DuckDBInstance;
  let prepared: PreparedStatements;
  const columns = "id UUID PRIMARY KEY, small INTEGER, big BIGINT, ratio DOUBLE, huge HUGEINT, flag BOOLEAN, note VARCHAR, meta JSON, stamp TIMESTAMPTZ";
  const insert = "INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8::JSON, $9::TIMESTAMPTZ)";
  const read = "SELECT id::VARCHAR AS id, small, big, ratio, huge, flag, note, meta->>'k' AS k, epoch_ms(stamp) AS stamp FROM typed WHERE id = $id";

  beforeAll(async () => {
    instance = await DuckDBInstance.create(`${dir}/typed.duckdb`);
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE typed (${columns})`);
    prepared = new PreparedStatements(connection);
  });
  afterAll(() => instance.closeSync());

  it("stores strings (into UUID, VARCHAR, JSON and TIMESTAMPTZ), integers on both sides of 32 bits, doubles, bigints, booleans and nulls", async () => {
    const id = randomUUID();
    const at = "2026-11-26T12:34:56.789Z";
    await prepared.run(insert, [id, -7, 2 ** 40 + 3, 0.25, 2n ** 70n, true, "quote ' and \u2028", JSON.stringify({ k: "v" }), at]);
    expect(await prepared.all(read, { id })).toEqual([
      {
        id,
        small: -7,
        big: String(2 ** 40 + 3),
        ratio: 0.25,
        huge: String(2n ** 70n),
        flag: true,
        note: "quote ' and \u2028",
        k: "v",
        stamp: String(Date.parse(at)),
      },
    ]);

    const empty = randomUUID();
    await prepared.run(insert, [empty, null, null, null, null, false, null, null, null]);
    expect(await prepared.all(read, { id: empty })).toEqual([
      { id: empty, small: null, big: null, ratio: null, huge: null, flag: false, note: null, k: null, stamp: null },
    ]);
  });

  it("a value the column cannot take is an error, and the statement stays usable", async () => {
    await expect(prepared.run(insert, ["not-a-uuid", 1, 1, 1, 1n, true, "x", "{}", "2026-11-26T00:00:00Z"])).rejects.toThrow(/uuid/i);
    const id = randomUUID();
    await prepared.run(insert, [id, 1, 1, 1.5, 1n, true, "after", "{}", "2026-11-26T00:00:00Z"]);
    expect(await prepared.all<{ note: string }>(read, { id })).toMatchObject([{ note: "after" }]);
  });
});
