import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHttpServer, type GitHttpServer } from "../fixtures/git-http/server";
import { startGithubFake, type GithubFake } from "../fixtures/github-fake/server";
import { startVercelFake, type VercelFake } from "../fixtures/vercel-fake/server";
import { apiKeyFor } from "../helpers/auth";
import { startServer, tempDir, type TestServer } from "../helpers/server";

const GH_TOKEN = "ghp_integrationTestToken0123456789abcdef";
const VC_TOKEN = "vercel_integrationTestToken_0123456789";

let git: GitHttpServer;
let github: GithubFake;
let vercel: VercelFake;
let server: TestServer;
let alice: { authorization: string };
let bob: { authorization: string };

const api = (who: { authorization: string }, p: string, init: RequestInit = {}) =>
  fetch(`${server.url}${p}`, { ...init, headers: { authorization: who.authorization, "content-type": "application/json", ...init.headers } });

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  git = await startGitHttpServer(tempDir("git-root-"));
  github = await startGithubFake(git);
  vercel = await startVercelFake();
  github.addUser(GH_TOKEN, "alice-gh");
  vercel.addUser(VC_TOKEN, "alice-vc");
  server = await startServer({ env: { GITHUB_API_URL: github.url, VERCEL_API_URL: vercel.url } });
  alice = await apiKeyFor(server.url, "alice");
  bob = await apiKeyFor(server.url, "bob");
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([git?.close(), github?.close(), vercel?.close()]);
});

describe("integrations", () => {
  it("starts with nothing connected", async () => {
    const res = await api(alice, "/api/v1/integrations");
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual([]);
  });

  it("refuses a token GitHub rejects, as a 400 on the token field", async () => {
    const res = await api(alice, "/api/v1/integrations/github", { method: "POST", body: JSON.stringify({ token: "ghp_wrong" }) });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.detail).toBe("GitHub rejected this token");
    expect(body.error.fields).toEqual([{ path: "body.token", message: "rejected by the provider" }]);
  });

  it("refuses unknown fields and a missing token", async () => {
    const res = await api(alice, "/api/v1/integrations/github", { method: "POST", body: JSON.stringify({ token: GH_TOKEN, scope: "repo" }) });
    expect(res.status).toBe(400);
    const res2 = await api(alice, "/api/v1/integrations/vercel", { method: "POST", body: JSON.stringify({}) });
    expect(res2.status).toBe(400);
  });

  it("connects GitHub after verifying the token with GET /user, and never returns the token", async () => {
    const before = github.requests.length;
    const res = await api(alice, "/api/v1/integrations/github", { method: "POST", body: JSON.stringify({ token: GH_TOKEN }) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(GH_TOKEN);
    const body = JSON.parse(text);
    expect(body.data).toMatchObject({ provider: "github", account_login: "alice-gh", status: "connected", team_id: null });
    const verify = github.requests.slice(before);
    expect(verify.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /user"]);
    expect(verify[0]!.headers.authorization).toBe(`Bearer ${GH_TOKEN}`);
    expect(verify[0]!.headers.accept).toBe("application/vnd.github+json");
  });

  it("connects Vercel with a team after verifying with GET /v2/user?teamId", async () => {
    const res = await api(alice, "/api/v1/integrations/vercel", { method: "POST", body: JSON.stringify({ token: VC_TOKEN, team_id: "team_abc" }) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(VC_TOKEN);
    expect(JSON.parse(text).data).toMatchObject({ provider: "vercel", account_login: "alice-vc", team_id: "team_abc", status: "connected" });
    const last = vercel.requests.at(-1)!;
    expect(`${last.method} ${last.path}?${last.query}`).toBe("GET /v2/user?teamId=team_abc");
    expect(last.headers.authorization).toBe(`Bearer ${VC_TOKEN}`);
  });

  it("a bad Vercel token is a 400 too", async () => {
    const res = await api(bob, "/api/v1/integrations/vercel", { method: "POST", body: JSON.stringify({ token: "nope" }) });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe("Vercel rejected this token");
  });

  it("lists each user's own connections only", async () => {
    const mine = (await (await api(alice, "/api/v1/integrations")).json()).data;
    expect(mine.map((i: { provider: string }) => i.provider)).toEqual(["github", "vercel"]);
    expect(JSON.stringify(mine)).not.toContain(GH_TOKEN);
    const bobs = (await (await api(bob, "/api/v1/integrations")).json()).data;
    expect(bobs).toEqual([]);
  });

  it("requires sign-in", async () => {
    const res = await fetch(`${server.url}/api/v1/integrations`);
    expect(res.status).toBe(401);
  });

  it("disconnects; disconnecting again is 404; an unknown provider is 404", async () => {
    const res = await api(alice, "/api/v1/integrations/vercel", { method: "DELETE" });
    expect(res.status).toBe(200);
    expect((await res.json()).data.provider).toBe("vercel");
    expect((await api(alice, "/api/v1/integrations/vercel", { method: "DELETE" })).status).toBe(404);
    expect((await api(alice, "/api/v1/integrations/gitlab", { method: "DELETE" })).status).toBe(404);
    const left = (await (await api(alice, "/api/v1/integrations")).json()).data;
    expect(left.map((i: { provider: string }) => i.provider)).toEqual(["github"]);
  });

  it("stores tokens encrypted: no database file contains the plaintext", async () => {
    await api(alice, "/api/v1/integrations/vercel", { method: "POST", body: JSON.stringify({ token: VC_TOKEN }) });
    expect(await server.stop()).toBe(0);
    const files = filesUnder(server.dataDir).filter((f) => !f.includes(`${path.sep}projects${path.sep}`));
    expect(files.some((f) => f.endsWith(".duckdb"))).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(GH_TOKEN), file).toBe(false);
      expect(bytes.includes(VC_TOKEN), file).toBe(false);
    }
    // Restarted on the same data directory, the sealed tokens still decrypt (same AUTH_SECRET).
    server = await startServer({ dataDir: server.dataDir, env: { GITHUB_API_URL: github.url, VERCEL_API_URL: vercel.url } });
    const list = (await (await api(alice, "/api/v1/integrations")).json()).data;
    expect(list.map((i: { status: string }) => i.status)).toEqual(["connected", "connected"]);
  });
});
