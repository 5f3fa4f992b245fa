import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { apiRoutes } from "../helpers/routes";
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

/** Every path parameter of the route replaced by `escape`; a route without one gets it as an extra segment. */
const withEscape = (template: string, escape: string) => (template.includes("{") ? template.replace(/\{\w+\}/g, escape) : `${template}/${escape}`);

// Every method of every API route file (the catch-all and next-auth's included), HEAD and OPTIONS aside.
const cases = apiRoutes
  .filter((r) => r.method !== "HEAD" && r.method !== "OPTIONS")
  .map((r, i) => ({ ...r, url: withEscape(r.path, "%ff"), requestId: `bad-escape-${i}` }));

function logLines(requestId: string): Array<Record<string, unknown>> {
  return server
    .output()
    .split("\n")
    .filter((l) => l.includes(`"${requestId}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("a path with an invalid percent-escape is a 400 in the one error shape, on every route", () => {
  it("covers the route families", () => {
    const urls = cases.map((c) => c.url);
    for (const expected of [
      "/api/v1/projects/%ff",
      "/api/v1/projects/%ff/files",
      "/api/v1/chat/%ff/cancel",
      "/api/v1/projects/%ff/deployments/%ff/logs",
      "/api/v1/tokens/usage/%ff",
      "/api/v1/auth/%ff",
      "/api/%ff",
      "/health/%ff",
    ]) {
      expect(urls).toContain(expected);
    }
  });

  it.each(cases)("$method $url", async ({ method, url, requestId }) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization, "x-request-id": requestId, ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }) },
      ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }),
    });
    const body = await expectError(res, 400, "bad_request");
    expect(body.error.request_id).toBe(requestId);
    expect(body.detail).toMatch(/percent-escape/);
  });

  it.each([
    ["an escape that is not UTF-8", "/api/v1/projects/%c3%28"],
    ["an escape that is not hexadecimal", "/api/v1/projects/%zz/files"],
    ["a lone percent sign", "/api/v1/api-keys/abc%"],
    ["a page", "/projects/%ff"],
  ])("%s: %s", async (_name, url) => {
    await expectError(await fetch(`${server.url}${url}`, { headers: { authorization } }), 400, "bad_request");
  });

  it("logs one JSON request line for each, with the status it answered", async () => {
    for (const c of cases) {
      const lines = logLines(c.requestId);
      expect(lines, c.requestId).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: "request", method: c.method, path: c.url, status: 400, user_id: null });
    }
  });

  it("a well-formed escape still reaches its route", async () => {
    // %E2%82%AC is "€": not a UUID, so the route itself refuses it, naming the parameter.
    const body = await expectError(await fetch(`${server.url}/api/v1/projects/%E2%82%AC`, { headers: { authorization } }), 400, "bad_request");
    expect(body.error.fields?.map((f) => f.path)).toEqual(["params.project_id"]);
  });
});
