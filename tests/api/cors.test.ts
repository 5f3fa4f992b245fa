import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInLocal, type CookieJar } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";

let server: TestServer;
let jar: CookieJar;
const WEB_URL = "http://app.slipway.test";
// Listed with a path and spaces: each entry counts as its origin.
const EXTRA = ["https://extra.slipway.test", "http://localhost:5173"];

beforeAll(async () => {
  server = await startServer({ env: { WEB_URL, CORS_ORIGINS: ` ${EXTRA[0]}/ignored/path , ${EXTRA[1]},` } });
  jar = await signInLocal(server.url, "cora");
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

const preflight = (path: string, origin: string) =>
  fetch(`${server.url}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
  });

describe("CORS", () => {
  it.each(["http://localhost:8080", WEB_URL, ...EXTRA])("answers a preflight from %s with credentials allowed", async (origin) => {
    for (const path of ["/api/v1/api-keys", "/api/v1/me", "/health"]) {
      const res = await preflight(path, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      expect(res.headers.get("vary")).toContain("Origin");
    }
  });

  it.each(["http://localhost:8080", WEB_URL, ...EXTRA])("adds the headers to a credentialed request from %s", async (origin) => {
    const res = await jar.fetch(`${server.url}/api/v1/me`, { headers: { origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-request-id");
  });

  it.each(["http://evil.example", "http://localhost:8081", "https://app.slipway.test", "null"])(
    "gives a foreign origin (%s) no CORS headers",
    async (origin) => {
      const pre = await preflight("/api/v1/api-keys", origin);
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
      const res = await jar.fetch(`${server.url}/api/v1/me`, { headers: { origin } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    },
  );
});
