import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decode the body). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("response compression", () => {
  it("gzips a large API answer for a client that accepts gzip, and says it varies by Accept-Encoding", async () => {
    const res = await rawGet("/api/v1/openapi.json", { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers.vary?.toLowerCase()).toContain("accept-encoding");
    const doc = JSON.parse(gunzipSync(res.body).toString("utf8")) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);
  });

  it("sends the same API answer as is to a client that names no content coding", async () => {
    const res = await rawGet("/api/v1/openapi.json", {});
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBeUndefined();
    const doc = JSON.parse(res.body.toString("utf8")) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);
  });

  it("leaves a small API answer uncompressed even when gzip is accepted", async () => {
    const res = await rawGet("/api/v1/health", { "accept-encoding": "gzip" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect((JSON.parse(res.body.toString("utf8")) as { message: string }).message).toMatch(/Healthy|Degraded/);
  });

  it("marks pages as varying by Accept-Encoding also for a client that names none", async () => {
    const res = await rawGet("/signin", {});
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers.vary?.toLowerCase()).toContain("accept-encoding");
  });
});
