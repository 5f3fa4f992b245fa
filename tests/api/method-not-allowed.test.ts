import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { implementedMethods } from "../helpers/routes";
import { startServer, type TestServer } from "../helpers/server";
import { expectError } from "./support";

let server: TestServer;
let authorization: string;

beforeAll(async () => {
  server = await startServer();
  ({ authorization } = await apiKeyFor(server.url, "alice"));
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

const projectId = "00000000-0000-4000-8000-000000000000";

/** What `Allow` must list for a route file: the methods it implements, HEAD with GET, and OPTIONS. */
function expectedAllow(file: string): string[] {
  const implemented = implementedMethods(fs.readFileSync(path.join("app", ...file.split("/"), "route.ts"), "utf8"));
  return [...implemented, ...(implemented.includes("GET") ? ["HEAD"] : []), "OPTIONS"].sort();
}

const allowOf = (res: Response) =>
  (res.headers.get("allow") ?? "")
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean)
    .sort();

// A static path, paths with parameters, a catch-all (next-auth's) and /health, each with a method its file lacks.
const cases = [
  { method: "PUT", url: "/api/v1/me", file: "api/v1/me" },
  { method: "DELETE", url: "/api/v1/projects", file: "api/v1/projects" },
  { method: "GET", url: "/api/v1/api-keys/00000000-0000-4000-8000-000000000000", file: "api/v1/api-keys/[key_id]" },
  { method: "PATCH", url: `/api/v1/projects/${projectId}/files/content`, file: "api/v1/projects/[project_id]/files/content" },
  { method: "GET", url: `/api/v1/projects/${projectId}/files/move`, file: "api/v1/projects/[project_id]/files/move" },
  { method: "PUT", url: "/api/v1/auth/session", file: "api/v1/auth/[...nextauth]" },
  { method: "DELETE", url: "/api/v1/auth/callback/local", file: "api/v1/auth/[...nextauth]" },
  { method: "POST", url: "/health", file: "health" },
];

describe("a method a route file does not implement is a 405 naming the file's methods", () => {
  it.each(cases)("$method $url", async ({ method, url, file }) => {
    const res = await fetch(`${server.url}${url}`, { method, headers: { authorization, "x-request-id": `wrong-method-${method}` } });
    const body = await expectError(res, 405, "method_not_allowed");
    expect(body.error.request_id).toBe(`wrong-method-${method}`);
    expect(body.detail).toBe(`Method ${method} is not allowed on ${url}; allowed: ${res.headers.get("allow")}`);
    expect(allowOf(res)).toEqual(expectedAllow(file));
  });

  it.each(cases)("OPTIONS $url lists the same methods", async ({ url, file }) => {
    const res = await fetch(`${server.url}${url}`, { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(allowOf(res)).toEqual(expectedAllow(file));
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("HEAD runs GET's handler where there is one, and is a 405 where there is none", async () => {
    const me = await fetch(`${server.url}/api/v1/me`, { method: "HEAD", headers: { authorization } });
    expect(me.status).toBe(200);
    const move = await fetch(`${server.url}/api/v1/projects/${projectId}/files/move`, { method: "HEAD", headers: { authorization } });
    expect(move.status).toBe(405);
    expect(allowOf(move)).toEqual(expectedAllow("api/v1/projects/[project_id]/files/move"));
  });

  it("an implemented method still reaches its handler", async () => {
    const res = await fetch(`${server.url}/api/v1/projects/${projectId}`, { method: "DELETE", headers: { authorization } });
    expect((await expectError(res, 404, "not_found")).detail).toMatch(/^Project/);
  });

  it("OPTIONS on an unknown API path is a 404 like any other method there", async () => {
    await expectError(await fetch(`${server.url}/api/v1/no-such-thing`, { method: "OPTIONS" }), 404, "not_found");
  });
});

describe("a method Next never dispatches is a 501 in the one error shape", () => {
  it.each([
    ["PROPFIND", "/api/v1/me"],
    ["REPORT", "/api/v1/projects"],
    ["MKCOL", "/api/v1/no-such-thing"],
    ["PURGE", "/health"],
  ])("%s %s", async (method, url) => {
    const res = await fetch(`${server.url}${url}`, { method, headers: { authorization } });
    const body = await expectError(res, 501, "not_implemented");
    expect(body.detail).toMatch(new RegExp(`^Method ${method} is not implemented`));
    expect(res.headers.get("allow")).toBeNull();
  });
});
