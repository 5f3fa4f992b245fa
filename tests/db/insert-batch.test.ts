import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, getDb, type Database } from "@/prisma-free-db/client";
import { InsertBatch } from "@/prisma-free-db/insert-batch";
import { RowInsert } from "@/prisma-free-db/row-insert";
import { tempDir } from "../helpers/server";

/** A RowInsert that records how many rows each statement it was asked for carries. */
class CountingInsert extends RowInsert {
  readonly statementRows: number[] = [];
  override sql(rows: number): string {
    this.statementRows.push(rows);
    return super.sql(rows);
  }
}

const notes = () => new CountingInsert("batch_notes", ["id", "body", "meta::JSON", "written_at::TIMESTAMPTZ"]);
const row = (body: string, id: string = randomUUID()) => [id, body, JSON.stringify({ body }), new Date().toISOString()];

describe("batched inserts on the real DuckDB file", () => {
  let db: Database;
  const bodies = async () => (await db.all<{ body: string }>("SELECT body FROM batch_notes ORDER BY body")).map((r) => r.body);

  const dir = tempDir("slipway-db-");
  beforeAll(async () => {
    db = await getDb(dir);
    await db.run("CREATE TABLE batch_notes (id UUID PRIMARY KEY, body VARCHAR NOT NULL, meta JSON, written_at TIMESTAMPTZ NOT NULL)");
  });
  afterAll(async () => {
    await closeDb();
  });

  it("rows inserted together go out as one multi-row statement, and every row is stored with its casts", async () => {
    const target = notes();
    await db.run("DELETE FROM batch_notes WHERE true");
    const inserts = Array.from({ length: 30 }, (_, i) => db.insert(target, row(`together-${String(i).padStart(2, "0")}`)));
    await Promise.all(inserts);
    expect(target.statementRows).toEqual([30]);
    expect(await bodies()).toEqual(Array.from({ length: 30 }, (_, i) => `together-${String(i).padStart(2, "0")}`));
    const one = await db.one<{ kind: string; body: string }>(
      "SELECT json_type(meta) AS kind, meta->>'body' AS body FROM batch_notes WHERE body = 'together-07'",
    );
    expect(one).toEqual({ kind: "OBJECT", body: "together-07" });
  });

  it("rows inserted a few milliseconds apart gather into one statement; a lone row waits out the window, no more", async () => {
    // The window's clock is faked (the database is real): what is written when is then exact, not a timing guess.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const settle = () => new Promise((r) => setImmediate(r));
    try {
      const target = notes();
      const first = db.insert(target, row("early"));
      vi.advanceTimersByTime(5);
      const second = db.insert(target, row("a little later"));
      vi.advanceTimersByTime(InsertBatch.WINDOW_MS - 5);
      await Promise.all([first, second]);
      expect(target.statementRows).toEqual([2]);

      const alone = db.insert(target, row("alone"));
      vi.advanceTimersByTime(InsertBatch.WINDOW_MS - 1);
      await settle();
      expect(target.statementRows).toEqual([2]); // still gathering
      vi.advanceTimersByTime(1);
      await alone;
      expect(target.statementRows).toEqual([2, 1]);
      expect(await bodies()).toEqual(expect.arrayContaining(["early", "a little later", "alone"]));
    } finally {
      vi.useRealTimers();
    }
  });

  it("a bad row fails only its own caller; the rows batched with it are stored", async () => {
    const target = notes();
    const taken = randomUUID();
    await db.insert(target, row("first holder", taken));
    target.statementRows.length = 0;
    const results = await Promise.allSettled([db.insert(target, row("good-a")), db.insert(target, row("duplicate", taken)), db.insert(target, row("good-b"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/constraint/i);
    // The three-row statement failed as a whole (wrote nothing), then each row went alone.
    expect(target.statementRows).toEqual([3, 1, 1, 1]);
    const stored = await bodies();
    expect(stored).toEqual(expect.arrayContaining(["good-a", "good-b", "first holder"]));
    expect(stored).not.toContain("duplicate");
  });

  it("writes keep the order they were made in: another write closes the batch", async () => {
    const target = notes();
    await db.run("DELETE FROM batch_notes WHERE true");
    // insert, delete-all, insert: the first row is deleted, the second survives (batching both would lose it).
    const writes = [db.insert(target, row("before the delete")), db.run("DELETE FROM batch_notes WHERE true"), db.insert(target, row("after the delete"))];
    await Promise.all(writes);
    expect(await bodies()).toEqual(["after the delete"]);
    expect(target.statementRows).toEqual([1, 1]);
  });

  it("a transaction also closes the batch, and rows inside it are written in it", async () => {
    const target = notes();
    await db.run("DELETE FROM batch_notes WHERE true");
    const outside = db.insert(target, row("outside"));
    const tx = db.transaction(async (t) => {
      await t.insert(target, row("inside, rolled back"));
      throw new Error("roll back");
    });
    const after = db.insert(target, row("after"));
    await expect(tx).rejects.toThrow("roll back");
    await Promise.all([outside, after]);
    expect(await bodies()).toEqual(["after", "outside"]);
  });

  it("more rows than a batch holds are split into several statements", async () => {
    const target = notes();
    await Promise.all(Array.from({ length: 250 }, (_, i) => db.insert(target, row(`many-${i}`))));
    expect(target.statementRows).toEqual([100, 100, 50]);
    expect((await db.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM batch_notes WHERE body LIKE 'many-%'"))?.n).toBe(250);
  });

  it("closing the database writes the rows still gathering", async () => {
    const target = notes();
    const pending = db.insert(target, row("written at shutdown"));
    await closeDb();
    await pending;
    db = await getDb(dir);
    expect(await bodies()).toContain("written at shutdown");
  });

  it("a row with the wrong number of values is refused before anything is queued", async () => {
    const target = notes();
    expect(() => db.insert(target, ["only", "two"])).toThrow("batch_notes: 2 values for 4 columns");
    await db.insert(target, row("still works"));
    expect(await bodies()).toContain("still works");
  });
});
