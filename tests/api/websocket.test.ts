import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { apiKeyFor, type CookieJar } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import type { ErrorBody } from "./support";

let server: TestServer;
let authorization: string;
let jar: CookieJar;
let wsUrl: string;

beforeAll(async () => {
  server = await startServer({ env: { WEB_URL: "http://app.slipway.test" } });
  ({ authorization, jar } = await apiKeyFor(server.url, "wendy"));
  wsUrl = `ws://localhost:${server.port}/ws/echo`;
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

/** Resolves with the refusal's status and JSON body, or rejects if the upgrade succeeds. */
function refusal(url: string, headers: Record<string, string>): Promise<{ status: number; body: ErrorBody }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => {
      ws.close();
      reject(new Error("upgrade was accepted"));
    });
    ws.on("unexpected-response", (_req, res: IncomingMessage) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        const body = JSON.parse(text) as ErrorBody;
        expect(res.headers["content-type"]).toMatch(/^application\/json/);
        expect(Object.keys(body).sort()).toEqual(["detail", "error"]);
        expect(body.error.request_id).toBe(res.headers["x-request-id"]);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.on("error", () => undefined);
  });
}

function open(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => resolve(ws));
    ws.on("unexpected-response", (_req, res: IncomingMessage) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.on("error", reject);
  });
}

async function echo(ws: WebSocket, text: string): Promise<string> {
  const reply = new Promise<string>((resolve) => ws.once("message", (data) => resolve(String(data))));
  ws.send(text);
  return reply;
}

describe("WebSocket upgrade", () => {
  it("refuses no session with 401", async () => {
    const r = await refusal(wsUrl, {});
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthorized");
    expect(r.body.detail).toMatch(/Sign in/);
  });

  it("refuses an unknown API key with 401", async () => {
    const r = await refusal(wsUrl, { authorization: "Bearer slw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    expect(r.status).toBe(401);
  });

  it("refuses a foreign Origin with 403 even with a valid session", async () => {
    const r = await refusal(wsUrl, { cookie: jar.header(), origin: "http://evil.example" });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    expect(r.body.detail).toBe("Origin not allowed");
  });

  it("refuses an unknown socket path with 404", async () => {
    const r = await refusal(`ws://localhost:${server.port}/ws/nothing`, { authorization });
    expect(r.status).toBe(404);
  });

  it("echoes with the session cookie from an allowed Origin (WEB_URL, localhost:8080, own host)", async () => {
    for (const origin of ["http://app.slipway.test", "http://localhost:8080", `http://localhost:${server.port}`]) {
      const ws = await open(wsUrl, { cookie: jar.header(), origin });
      expect(await echo(ws, `hello from ${origin}`)).toBe(`hello from ${origin}`);
      ws.close();
    }
  });

  it("echoes with an API key in the Authorization header and in ?access_token=", async () => {
    const a = await open(wsUrl, { authorization });
    expect(await echo(a, "key")).toBe("key");
    a.close();
    const b = await open(`${wsUrl}?access_token=${encodeURIComponent(authorization.slice(7))}`, { origin: "http://localhost:8080" });
    expect(await echo(b, "query")).toBe("query");
    b.close();
  });

  it("closes with 1009 on a frame over 1 MiB and still echoes a frame of exactly 1 MiB", async () => {
    const ws = await open(wsUrl, { authorization });
    const exact = "a".repeat(1024 * 1024);
    expect((await echo(ws, exact)).length).toBe(exact.length);
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    ws.send("b".repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
  });
});

describe("the /ws/echo probe", () => {
  it("is not served unless ECHO_SOCKET=on (it is off by default)", async () => {
    const plain = await startServer({ env: { ECHO_SOCKET: "off" } });
    try {
      const { authorization: key } = await apiKeyFor(plain.url, "otto");
      const { status } = await refusal(`ws://localhost:${plain.port}/ws/echo`, { authorization: key });
      expect(status).toBe(404);
    } finally {
      expect(await plain.stop()).toBe(0);
    }
  });
});
