import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, signInLocal } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { expectError } from "./support";

// next-auth's endpoints under /api/v1/auth answer what they refuse in the one error body, while its real flows
// (local sign-in, sign-out, session) go on as before (tests/api/local-auth.test.ts and oauth.test.ts cover them in full).

let server: TestServer;

beforeAll(async () => {
  // GitHub is configured (no request reaches it here); Google is not.
  server = await startServer({ env: { LOCAL_AUTH: "on", GITHUB_CLIENT_ID: "github-client", GITHUB_CLIENT_SECRET: "github-secret" } });
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
});

/** A jar holding next-auth's CSRF cookie, and the token that goes with it. */
async function csrf(jar = new CookieJar()): Promise<{ jar: CookieJar; token: string }> {
  const res = await jar.fetch(`${server.url}/api/v1/auth/csrf`);
  expect(res.status).toBe(200);
  return { jar, token: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe("next-auth's endpoints refuse bad input in the one error body", () => {
  it.each([
    ["GET", "/api/v1/auth/nonsense"],
    ["POST", "/api/v1/auth/nonsense"],
    ["GET", "/api/v1/auth/session/extra"],
    ["GET", "/api/v1/auth/verify-request"],
    ["GET", "/api/v1/auth/callback/local/extra"],
  ])("an unknown endpoint: %s %s is a 404", async (method, path) => {
    const body = await expectError(await fetch(`${server.url}${path}`, { method }), 404, "not_found");
    expect(body.detail).toBe(`No route for ${method} ${path}`);
  });

  it.each([
    ["POST", "/api/v1/auth/callback/credentials"],
    ["GET", "/api/v1/auth/callback/google"],
    ["POST", "/api/v1/auth/signin/twitter"],
    ["GET", "/api/v1/auth/callback/constructor"],
  ])("a provider this server does not offer: %s %s is a 404", async (method, path) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      ...(method === "POST" ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "garbage" } : {}),
    });
    const body = await expectError(res, 404, "not_found");
    expect(body.detail).toMatch(/sign-in is not configured on this server$/);
  });

  it.each([
    ["POST", "/api/v1/auth/csrf", "GET"],
    ["GET", "/api/v1/auth/callback/local", "POST"],
    ["GET", "/api/v1/auth/signin/github", "POST"],
  ])("a wrong method: %s %s is a 405 naming %s", async (method, path, allowed) => {
    const res = await fetch(`${server.url}${path}`, { method });
    await expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe(`${allowed}, OPTIONS`);
  });

  it("a malformed JSON body is a 400", async () => {
    const res = await fetch(`${server.url}/api/v1/auth/callback/local`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username": ',
    });
    expect((await expectError(res, 400, "bad_request")).detail).toBe("Malformed JSON body");
  });

  it.each([
    ["callback/local", { username: "mallory" }],
    ["signout", {}],
    ["signin/github", {}],
    ["session", {}],
  ])("POST %s without a CSRF token, with a wrong one, and with one but no cookie: 403", async (endpoint, fields) => {
    const url = `${server.url}/api/v1/auth/${endpoint}`;
    const { jar, token } = await csrf();
    for (const [name, res] of [
      ["none", await jar.fetch(url, form(fields))],
      ["wrong", await jar.fetch(url, form({ ...fields, csrfToken: "0".repeat(64) }))],
      ["no cookie", await fetch(url, { ...form({ ...fields, csrfToken: token }), redirect: "manual" })],
    ] as const) {
      const body = await expectError(res, 403, "forbidden");
      expect(body.detail, name).toMatch(/^Missing or invalid CSRF token/);
    }
    expect(jar.has("authjs.session-token")).toBe(false);
  });

  it("a forged OAuth callback (no sign-in was started) is a 400", async () => {
    const { jar, token } = await csrf();
    const res = await jar.fetch(`${server.url}/api/v1/auth/callback/github`, form({ csrfToken: token, code: "forged", state: "forged" }));
    expect((await expectError(res, 400, "bad_request")).detail).toBe("The sign-in request was not valid");
    expect(jar.has("authjs.session-token")).toBe(false);
  });

  it("each refusal is one request log line with its status", async () => {
    await expectError(await fetch(`${server.url}/api/v1/auth/nonsense`, { headers: { "x-request-id": "auth-log-check" } }), 404, "not_found");
    await new Promise((r) => setTimeout(r, 100));
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.includes('"auth-log-check"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ msg: "request", method: "GET", path: "/api/v1/auth/nonsense", status: 404 })]);
  });
});

describe("next-auth's own flows still answer as before", () => {
  it("signed out: GET session is null; a local sign-in with its CSRF token works, and so do session and sign-out posts", async () => {
    const anonymous = await fetch(`${server.url}/api/v1/auth/session`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toBeNull();

    const jar = await signInLocal(server.url, "nia");
    expect((await jar.fetch(`${server.url}/api/v1/me`)).status).toBe(200);
    const { token } = await csrf(jar);
    const session = await jar.fetch(`${server.url}/api/v1/auth/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ csrfToken: token }),
    });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { name: string } }).user.name).toBe("nia");

    const out = await jar.fetch(`${server.url}/api/v1/auth/signout`, form({ csrfToken: token, callbackUrl: `${server.url}/signin` }));
    expect(out.status).toBe(302);
    expect(jar.has("authjs.session-token")).toBe(false);
  });

  it("a refused local name still redirects to the sign-in page, which says so", async () => {
    const { jar, token } = await csrf();
    const res = await jar.fetch(`${server.url}/api/v1/auth/callback/local`, form({ csrfToken: token, username: "not a valid name!" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/\/signin\?error=CredentialsSignin/);
    expect(jar.has("authjs.session-token")).toBe(false);
  });
});
