import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor, type CookieJar } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";

/**
 * Production hands /api/v1 requests straight to their compiled route handlers (lib/server/api-dispatch.ts).
 * These tests hold that path to Next's own router: the same requests sent to a server with API_DISPATCH=next
 * must get the same status, headers and body (ids, times and request ids aside).
 */

interface Side {
  server: TestServer;
  authorization: string;
  jar: CookieJar;
  projectId: string;
}
let direct: Side;
let viaNext: Side;

async function side(env: Record<string, string>): Promise<Side> {
  const server = await startServer({ env });
  const { authorization, jar } = await apiKeyFor(server.url, "alice");
  const res = await fetch(`${server.url}/api/v1/projects`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({ name: "parity", start_container: false }),
  });
  if (res.status !== 201) throw new Error(`project create failed: ${res.status} ${await res.text()}`);
  const projectId = ((await res.json()) as { data: { id: string } }).data.id;
  return { server, authorization, jar, projectId };
}

beforeAll(async () => {
  [direct, viaNext] = await Promise.all([side({}), side({ API_DISPATCH: "next" })]);
}, 120_000);

afterAll(async () => {
  expect(await direct?.server.stop()).toBe(0);
  expect(await viaNext?.server.stop()).toBe(0);
});

interface Exchange {
  method?: string;
  path: string;
  auth?: "key" | "cookie" | "none";
  headers?: Record<string, string>;
  body?: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;

/** Sends one request to a side; returns what must match across the two paths. */
async function exchange(s: Side, x: Exchange) {
  const headers: Record<string, string> = { "accept-encoding": "identity", ...x.headers };
  if ((x.auth ?? "key") === "key") headers.authorization = s.authorization;
  const init: RequestInit = { method: x.method ?? "GET", headers, body: x.body, redirect: "manual" };
  const path = x.path.replace("{project}", s.projectId);
  const res = x.auth === "cookie" ? await s.jar.fetch(`${s.server.url}${path}`, init) : await fetch(`${s.server.url}${path}`, init);
  const text = await res.text();
  const kept: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name === "date" || name === "x-request-id") return;
    // Next's router marks every app-router answer as varying by its RSC request headers; an API answer does not.
    if (name === "vary") value = value.replace(/(^|,\s*)(rsc|next-router-[\w-]+)/gi, "").replace(/^,\s*/, "");
    if (name === "vary" && !value) return;
    if (name === "set-cookie") value = value.replace(/(^|,\s*)([\w.-]+)=[^;]*/g, "$1$2={value}"); // sealed tokens differ per seal
    kept[name] = value.replaceAll(s.projectId, "{project}").replace(UUID, "{uuid}");
  });
  const body = text
    .replaceAll(s.projectId, "{project}")
    .replace(UUID, "{uuid}")
    .replace(TIME, "{time}")
    .replace(/"(latency_ms|uptime_s)":[\d.]+/g, '"$1":0');
  return { status: res.status, headers: kept, body, vary: res.headers.get("vary") ?? "" };
}

/** A request with a JSON body (sent as is, so a broken one can be sent too). */
const withJson = (method: string, path: string, body: string): Exchange => ({ method, path, headers: { "content-type": "application/json" }, body });

const EXCHANGES: Record<string, Exchange> = {
  "the caller, by API key": { path: "/api/v1/me" },
  "the caller, by session cookie": { path: "/api/v1/me", auth: "cookie" },
  "no credentials": { path: "/api/v1/me", auth: "none" },
  "HEAD of a GET route": { method: "HEAD", path: "/api/v1/me" },
  "OPTIONS of a route": { method: "OPTIONS", path: "/api/v1/projects/{project}/files/content" },
  "a method the route does not have": { method: "PATCH", path: "/api/v1/me" },
  "a project-scoped GET with a query": { path: "/api/v1/projects/{project}/files?path=." },
  "a file written": withJson("PUT", "/api/v1/projects/{project}/files/content?path=parity.txt", JSON.stringify({ content: "same on both paths\n" })),
  "the file read back": { path: "/api/v1/projects/{project}/files/content?path=parity.txt" },
  "a body that is not JSON": withJson("POST", "/api/v1/projects", "{nope"),
  "a body the contract refuses": withJson("POST", "/api/v1/projects", JSON.stringify({ start_container: "yes" })),
  "a path outside the project": { path: "/api/v1/projects/{project}/files/content?path=../../etc/passwd" },
  "a project that is not there": { path: "/api/v1/projects/00000000-0000-4000-8000-000000000000" },
  "a project id that is not an id": { path: "/api/v1/projects/not-a-uuid" },
  "a path no route has": { path: "/api/v1/projects/{project}/nothing-here" },
  "a static route next to a dynamic one": withJson("POST", "/api/v1/chat/create-session", "{}"),
  "a static route's name in capitals, where a dynamic route would match": withJson("POST", "/api/v1/chat/CREATE-SESSION", "{}"),
  "a route's path in capitals": { path: "/api/v1/ME" },
  "the health report": { path: "/api/v1/health" },
  "a trailing slash (left to Next)": { path: "/api/v1/me/" },
  "a percent-escaped segment (left to Next)": { path: "/api/v1/m%65" },
  "a dot segment (left to Next)": { path: "/api/v1/projects/{project}/./files" },
  "Next's internal request headers (stripped)": {
    path: "/api/v1/me",
    headers: { "x-middleware-subrequest": "middleware", "x-matched-path": "/api/v1/health" },
  },
  "next-auth's session (left to Next)": { path: "/api/v1/auth/session", auth: "cookie" },
};

describe("API requests sent straight to their route handlers answer as through Next's router", () => {
  for (const [name, x] of Object.entries(EXCHANGES)) {
    it(name, async () => {
      const a = await exchange(direct, x);
      const b = await exchange(viaNext, x);
      expect({ status: a.status, headers: a.headers, body: a.body }).toEqual({ status: b.status, headers: b.headers, body: b.body });
    });
  }

  it("really takes the direct path for a route handler, and Next's for what it leaves to Next", async () => {
    // Only Next's router adds its RSC Vary tokens, so they tell which path answered.
    expect((await exchange(direct, { path: "/api/v1/me" })).vary).not.toMatch(/rsc/i);
    expect((await exchange(viaNext, { path: "/api/v1/me" })).vary).toMatch(/rsc/i);
    expect((await exchange(direct, { path: "/api/v1/projects/{project}/nothing-here" })).vary).toMatch(/rsc/i);
  });
});
