import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { expectError, json } from "./support";

let server: TestServer;
let auth: string;
let revoked: string;

beforeAll(async () => {
  server = await startServer();
  ({ authorization: auth } = await apiKeyFor(server.url, "alice"));
  const { authorization, jar } = await apiKeyFor(server.url, "bob");
  const keys = (await (await jar.fetch(`${server.url}/api/v1/api-keys`)).json()) as { data: { id: string }[] };
  for (const k of keys.data) expect((await jar.fetch(`${server.url}/api/v1/api-keys/${k.id}`, { method: "DELETE" })).status).toBe(200);
  revoked = authorization;
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

type Who = "alice" | "anonymous" | "unknown-key" | "garbage-token" | "revoked-key";
const header = (who: Who): Record<string, string> => {
  switch (who) {
    case "alice":
      return { authorization: auth };
    case "anonymous":
      return {};
    case "unknown-key":
      return { authorization: "Bearer slw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
    case "garbage-token":
      return { authorization: "Bearer not a token" };
    case "revoked-key":
      return { authorization: revoked };
  }
};

interface Case {
  name: string;
  method: string;
  path: string;
  who: Who;
  init?: RequestInit;
  status: number;
  code: string;
  message?: RegExp;
  fields?: { path: string; message: RegExp }[];
}

const oneMiB = 1024 * 1024;

const cases: Case[] = [
  {
    name: "malformed JSON",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: { headers: { "content-type": "application/json" }, body: '{"name": "x"' },
    status: 400,
    code: "bad_request",
    message: /^Malformed JSON body$/,
  },
  {
    name: "wrong type",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: json({ name: 42 }),
    status: 400,
    code: "bad_request",
    fields: [{ path: "body.name", message: /expected string/ }],
  },
  {
    name: "unknown field",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: json({ name: "ci", admin: true }),
    status: 400,
    code: "bad_request",
    fields: [{ path: "body.admin", message: /^Unknown field$/ }],
  },
  {
    name: "wrong type and unknown field together",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: json({ name: "", scope: "all" }),
    status: 400,
    code: "bad_request",
    fields: [
      { path: "body.name", message: /too small|at least/i },
      { path: "body.scope", message: /^Unknown field$/ },
    ],
  },
  {
    name: "missing body",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: { headers: { "content-type": "application/json" } },
    status: 400,
    code: "bad_request",
    fields: [{ path: "body", message: /expected object/ }],
  },
  {
    name: "body that is not JSON",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: { headers: { "content-type": "text/plain" }, body: "name=x" },
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "oversized body with Content-Length",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: json({ name: "x".repeat(oneMiB) }),
    status: 413,
    code: "payload_too_large",
    message: /1 MiB/,
  },
  {
    name: "oversized body streamed without Content-Length",
    method: "POST",
    path: "/api/v1/api-keys",
    who: "alice",
    init: {
      headers: { "content-type": "application/json" },
      body: new Blob([`{"name":"${"y".repeat(oneMiB + 10)}"}`]).stream(),
      duplex: "half",
    } as RequestInit,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "invalid UUID path parameter",
    method: "DELETE",
    path: "/api/v1/api-keys/not-a-uuid",
    who: "alice",
    status: 400,
    code: "bad_request",
    message: /^Invalid path parameter$/,
    fields: [{ path: "params.key_id", message: /UUID/ }],
  },
  {
    name: "invalid enum path parameter",
    method: "GET",
    path: "/api/v1/auth/twitter/login",
    who: "anonymous",
    status: 400,
    code: "bad_request",
    fields: [{ path: "params.provider", message: /google or github/ }],
  },
  {
    name: "invalid query parameter",
    method: "GET",
    path: "/api/v1/auth/google/login?redirect_to=https://evil.example",
    who: "anonymous",
    status: 400,
    code: "bad_request",
    message: /^Invalid query parameter$/,
    fields: [{ path: "query.redirect_to", message: /\// }],
  },
  {
    name: "another user's key id is a 404",
    method: "DELETE",
    path: "/api/v1/api-keys/00000000-0000-4000-8000-000000000000",
    who: "alice",
    status: 404,
    code: "not_found",
    message: /^API key not found$/,
  },
  {
    name: "unknown route (GET)",
    method: "GET",
    path: "/api/v1/nothing-here",
    who: "alice",
    status: 404,
    code: "not_found",
    message: /No route for GET \/api\/v1\/nothing-here/,
  },
  { name: "unknown route (POST, anonymous)", method: "POST", path: "/api/v2/x/y", who: "anonymous", init: json({}), status: 404, code: "not_found" },
  { name: "unknown route (/api itself)", method: "GET", path: "/api", who: "anonymous", status: 404, code: "not_found" },
  { name: "unknown route (DELETE)", method: "DELETE", path: "/api/v1/me/extra", who: "alice", status: 404, code: "not_found" },
  { name: "unauthenticated", method: "GET", path: "/api/v1/me", who: "anonymous", status: 401, code: "unauthorized" },
  { name: "unauthenticated write", method: "POST", path: "/api/v1/api-keys", who: "anonymous", init: json({ name: "x" }), status: 401, code: "unauthorized" },
  { name: "unknown API key", method: "GET", path: "/api/v1/me", who: "unknown-key", status: 401, code: "unauthorized", message: /Invalid or revoked/ },
  { name: "malformed bearer token", method: "GET", path: "/api/v1/api-keys", who: "garbage-token", status: 401, code: "unauthorized" },
  { name: "revoked API key", method: "GET", path: "/api/v1/me", who: "revoked-key", status: 401, code: "unauthorized", message: /Invalid or revoked/ },
  { name: "invalid token on a public route", method: "GET", path: "/api/v1/health", who: "unknown-key", status: 401, code: "unauthorized" },
  { name: "wrong method on /api/v1/me", method: "PUT", path: "/api/v1/me", who: "alice", init: json({}), status: 405, code: "method_not_allowed" },
  { name: "wrong method on /api/v1/api-keys", method: "DELETE", path: "/api/v1/api-keys", who: "alice", status: 405, code: "method_not_allowed" },
  {
    name: "wrong method on a key",
    method: "PATCH",
    path: "/api/v1/api-keys/00000000-0000-4000-8000-000000000000",
    who: "alice",
    init: json({}),
    status: 405,
    code: "method_not_allowed",
  },
  { name: "wrong method on /health", method: "POST", path: "/health", who: "anonymous", status: 405, code: "method_not_allowed" },
];

describe("API errors: one JSON shape, exact status", () => {
  it.each(cases)("$name → $status", async (c) => {
    const init = c.init ?? {};
    const res = await fetch(`${server.url}${c.path}`, {
      ...init,
      method: c.method,
      headers: { ...(init.headers as Record<string, string>), ...header(c.who) },
    });
    const body = await expectError(res, c.status, c.code);
    if (c.message) expect(body.error.message).toMatch(c.message);
    if (c.fields) {
      expect(body.error.fields?.map((f) => f.path)).toEqual(c.fields.map((f) => f.path));
      c.fields.forEach((f, i) => expect(body.error.fields![i]!.message).toMatch(f.message));
    } else {
      expect(body.error.fields).toBeUndefined();
    }
    if (c.status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    if (c.status === 405) expect(res.headers.get("allow")).toBeTruthy();
  });

  it("echoes a well-formed x-request-id and replaces a malformed one", async () => {
    const ok = await fetch(`${server.url}/api/v1/me`, { headers: { "x-request-id": "trace-123" } });
    expect((await expectError(ok, 401, "unauthorized")).error.request_id).toBe("trace-123");
    const bad = await fetch(`${server.url}/api/v1/me`, { headers: { "x-request-id": "no spaces allowed <>" } });
    expect((await expectError(bad, 401, "unauthorized")).error.request_id).not.toBe("no spaces allowed <>");
  });

  it("logs one JSON line per request with method, path, status, duration, request id and user id", async () => {
    const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: auth, "x-request-id": "log-line-check" } });
    expect(res.status).toBe(200);
    const me = (await res.json()) as { data: { id: string } };
    await new Promise((r) => setTimeout(r, 100));
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.includes('"log-line-check"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "request", method: "GET", path: "/api/v1/me", status: 200, user_id: me.data.id });
    expect(typeof lines[0]!.duration_ms).toBe("number");
  });

  it("nothing was written by the refused requests", async () => {
    const keys = (await (await fetch(`${server.url}/api/v1/api-keys`, { headers: { authorization: auth } })).json()) as { data: unknown[] };
    expect(keys.data).toHaveLength(1);
  });
});
