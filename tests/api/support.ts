import { expect } from "vitest";

/** The one error body every API error uses. */
export interface ErrorBody {
  detail: string;
  error: { code: string; message: string; request_id: string; fields?: { path: string; message: string }[] };
}

/** Asserts status, JSON content type and the exact error shape; returns the body for further checks. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(["detail", "error"]);
  expect(body.error.code).toBe(code);
  expect(body.detail).toBe(body.error.message);
  expect(body.error.request_id).toMatch(/^[\w.-]{1,64}$/);
  expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
  return body;
}

export const json = (value: unknown, headers: Record<string, string> = {}): RequestInit => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value),
});

/** Opens a stopped server's DuckDB file read-only in this process, runs one query, closes it. */
export async function queryDbFile<T = Record<string, unknown>>(dataDir: string, sql: string, params: string[] = []): Promise<T[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(`${dataDir}/slipway.duckdb`, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every byte DuckDB keeps on disk for a data directory (the file and its WAL, if any). */
export async function dbFileBytes(dataDir: string): Promise<Buffer> {
  const fs = await import("node:fs");
  const parts = ["slipway.duckdb", "slipway.duckdb.wal"].map((f) => `${dataDir}/${f}`).filter((f) => fs.existsSync(f));
  return Buffer.concat(parts.map((f) => fs.readFileSync(f)));
}
