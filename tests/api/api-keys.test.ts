import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor, signInLocal, type CookieJar } from "../helpers/auth";
import WebSocket from "ws";
import { startServer, type TestServer } from "../helpers/server";
import { dbFileBytes, expectError, json, queryDbFile } from "./support";

interface Key {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  secret?: string;
}

let server: TestServer;
let jar: CookieJar;
const secrets: string[] = [];

beforeAll(async () => {
  server = await startServer();
  jar = await signInLocal(server.url, "carol");
});

afterAll(async () => {
  if (server?.proc.exitCode === null) await server.stop();
});

describe("API key lifecycle", () => {
  let key: Key;

  it("creates a key and shows the secret once", async () => {
    const res = await jar.fetch(`${server.url}/api/v1/api-keys`, { method: "POST", ...json({ name: "ci" }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { message: string; data: Key; metadata: object };
    key = body.data;
    expect(key.secret).toMatch(/^slw_[A-Za-z0-9_-]{43}$/);
    expect(key.secret!.startsWith(key.prefix)).toBe(true);
    expect(key).toMatchObject({ name: "ci", last_used_at: null, revoked_at: null });
    expect(body.metadata).toEqual({});
    secrets.push(key.secret!);
  });

  it("authenticates GET /api/v1/me with the key", async () => {
    const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(res.status).toBe(200);
    const me = (await res.json()) as { data: { name: string; authenticated_via: string; identities: { provider: string }[] } };
    expect(me.data).toMatchObject({ name: "carol", authenticated_via: "api_key", identities: [{ provider: "local" }] });
  });

  it("lists keys without any secret, with last use recorded", async () => {
    const res = await fetch(`${server.url}/api/v1/api-keys`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(key.secret);
    const list = (JSON.parse(text) as { data: Key[] }).data;
    expect(list.map((k) => k.id)).toEqual([key.id]);
    expect(list[0]).not.toHaveProperty("secret");
    expect(list[0]).not.toHaveProperty("token_hash");
    // The touch is asynchronous; it must land shortly after the first use.
    for (let i = 0; i < 50 && !list[0]!.last_used_at; i++) {
      await new Promise((r) => setTimeout(r, 100));
      list[0] = ((await (await jar.fetch(`${server.url}/api/v1/api-keys`)).json()) as { data: Key[] }).data[0]!;
    }
    expect(list[0]!.last_used_at).not.toBeNull();
  });

  it("another user can neither see nor revoke it", async () => {
    const dave = await apiKeyFor(server.url, "dave");
    const list = (await (await fetch(`${server.url}/api/v1/api-keys`, { headers: { authorization: dave.authorization } })).json()) as { data: Key[] };
    expect(list.data.map((k) => k.id)).not.toContain(key.id);
    const res = await fetch(`${server.url}/api/v1/api-keys/${key.id}`, { method: "DELETE", headers: { authorization: dave.authorization } });
    await expectError(res, 404, "not_found");
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(200);
    secrets.push(dave.authorization.slice("Bearer ".length));
  });

  it("revokes: the key stops working at once; revoking again changes nothing", async () => {
    // Used by both HTTP and the WebSocket upgrade first, so any cached lookup of it exists before the revoke.
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(200);
    expect(await upgradeStatus(key.secret!)).toBe(101);
    const res = await jar.fetch(`${server.url}/api/v1/api-keys/${key.id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    const revoked = ((await res.json()) as { data: Key }).data;
    expect(revoked.revoked_at).not.toBeNull();
    await expectError(await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key.secret}` } }), 401, "unauthorized");
    expect(await upgradeStatus(key.secret!)).toBe(401);
    const again = await jar.fetch(`${server.url}/api/v1/api-keys/${key.id}`, { method: "DELETE" });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: Key }).data.revoked_at).toBe(revoked.revoked_at);
  });
});

/** The HTTP status of a WebSocket upgrade to /ws/echo with this key (101 when it opens). */
function upgradeStatus(secret: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://localhost:${server.port}/ws/echo`, { headers: { authorization: `Bearer ${secret}` } });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("error", reject);
  });
}

describe("two concurrent writers", () => {
  it("each create 60 keys at once and none is lost", async () => {
    const erin = await signInLocal(server.url, "erin");
    const frank = await signInLocal(server.url, "frank");
    const create = (who: CookieJar, i: number) =>
      who.fetch(`${server.url}/api/v1/api-keys`, { method: "POST", ...json({ name: `k${i}` }) }).then(async (r) => {
        expect(r.status).toBe(201);
        return ((await r.json()) as { data: Key }).data;
      });
    const made = await Promise.all(Array.from({ length: 60 }, (_, i) => [create(erin, i), create(frank, i)]).flat());
    secrets.push(...made.map((k) => k.secret!));
    expect(new Set(made.map((k) => k.id)).size).toBe(120);
    for (const who of [erin, frank]) {
      const list = ((await (await who.fetch(`${server.url}/api/v1/api-keys`)).json()) as { data: Key[] }).data;
      expect(list).toHaveLength(60);
      expect(new Set(list.map((k) => k.name)).size).toBe(60);
    }
  });
});

describe("storage", () => {
  it("after shutdown the database file holds the hashes and never a secret", async () => {
    expect(await server.stop()).toBe(0);
    const bytes = await dbFileBytes(server.dataDir);
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    const rows = await queryDbFile<{ token_hash: string }>(server.dataDir, "SELECT token_hash FROM api_tokens");
    const hashes = new Set(rows.map((r) => r.token_hash));
    for (const secret of secrets) expect(hashes.has(createHash("sha256").update(secret).digest("hex"))).toBe(true);
    const counts = await queryDbFile<{ name: string; n: number }>(
      server.dataDir,
      "SELECT u.name, count(*)::INTEGER AS n FROM api_tokens t JOIN users u ON u.id = t.user_id GROUP BY u.name ORDER BY u.name",
    );
    expect(counts).toEqual([
      { name: "carol", n: 1 },
      { name: "dave", n: 1 },
      { name: "erin", n: 60 },
      { name: "frank", n: 60 },
    ]);
  });
});
