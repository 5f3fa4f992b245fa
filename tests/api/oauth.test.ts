import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor, CookieJar, followSignIn } from "../helpers/auth";
import { freePort, startServer, type TestServer } from "../helpers/server";
import { startFakeGitHub } from "../fixtures/oauth/fake-github";
import { startFakeGoogle } from "../fixtures/oauth/fake-google";
import { queryDbFile } from "./support";

// Sign-in through next-auth's real OAuth/OIDC code against local stand-ins for Google (a real OpenID provider,
// oidc-provider) and GitHub (its OAuth endpoints as GitHub Enterprise serves them). No network.

interface Me {
  id: string;
  name: string;
  email: string | null;
  identities: { provider: string }[];
}

let server: TestServer;
let google: Awaited<ReturnType<typeof startFakeGoogle>>;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;

beforeAll(async () => {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  google = await startFakeGoogle({ clientId: "google-client", clientSecret: "google-secret-xyz", redirectUri: `${base}/api/v1/auth/google/callback` });
  github = await startFakeGitHub({ clientId: "github-client", clientSecret: "github-secret-xyz", redirectUri: `${base}/api/v1/auth/github/callback` });
  server = await startServer({
    port,
    env: {
      GOOGLE_CLIENT_ID: "google-client",
      GOOGLE_CLIENT_SECRET: "google-secret-xyz",
      GOOGLE_ISSUER: google.issuer,
      GITHUB_CLIENT_ID: "github-client",
      GITHUB_CLIENT_SECRET: "github-secret-xyz",
      GITHUB_URL: github.url,
      LOCAL_AUTH: "on",
    },
  });
});

afterAll(async () => {
  if (server?.proc.exitCode === null) await server.stop();
  await google?.close();
  await github?.close();
});

const signIn = async (jar: CookieJar, start: string) => (await followSignIn(jar, server.url, start)).landing;

async function me(jar: CookieJar): Promise<Me> {
  const res = await jar.fetch(`${server.url}/api/v1/me`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Me }).data;
}

const providers = (m: Me) => m.identities.map((i) => i.provider).sort();

describe("OAuth sign-in, end to end", () => {
  let gina: Me;
  let hal: Me;

  it("Google: the first sign-in creates the user with a google identity", async () => {
    google.setUser({ sub: "google-sub-100", email: "gina@example.com", name: "Gina" });
    const jar = new CookieJar();
    expect(await signIn(jar, "/api/v1/auth/google/login")).toBe("/");
    gina = await me(jar);
    expect(gina).toMatchObject({ name: "Gina", email: "gina@example.com" });
    expect(providers(gina)).toEqual(["google"]);
  });

  it("Google: the second sign-in resolves to the same user", async () => {
    const jar = new CookieJar();
    expect(await signIn(jar, "/api/v1/auth/google/login?redirect_to=/docs")).toBe("/docs");
    expect((await me(jar)).id).toBe(gina.id);
  });

  it("GitHub: the first sign-in creates another user; the second resolves to it", async () => {
    github.setUser({ id: 501, login: "hal", name: "Hal", email: null });
    const first = new CookieJar();
    await signIn(first, "/api/v1/auth/github/login");
    hal = await me(first);
    expect(hal.id).not.toBe(gina.id);
    expect(hal).toMatchObject({ name: "Hal", email: "hal@users.noreply.example" });
    expect(providers(hal)).toEqual(["github"]);
    const second = new CookieJar();
    await signIn(second, "/api/v1/auth/github/login");
    expect((await me(second)).id).toBe(hal.id);
    expect(github.calls).toEqual(
      expect.arrayContaining(["GET /login/oauth/authorize", "POST /login/oauth/access_token", "GET /api/v3/user", "GET /api/v3/user/emails"]),
    );
  });

  it("?link=1 while signed in attaches a new GitHub identity to the signed-in user", async () => {
    const jar = new CookieJar();
    await signIn(jar, "/api/v1/auth/google/login");
    github.setUser({ id: 777, login: "gina-gh", name: "Gina on GitHub", email: "gina@example.com" });
    await signIn(jar, "/api/v1/auth/github/login?link=1");
    const linked = await me(jar);
    expect(linked.id).toBe(gina.id);
    expect(providers(linked)).toEqual(["github", "google"]);
    expect(jar.has("slipway.link")).toBe(false);
    // Signing in with that GitHub identity alone now reaches the same user.
    const fresh = new CookieJar();
    await signIn(fresh, "/api/v1/auth/github/login");
    expect((await me(fresh)).id).toBe(gina.id);
  });

  it("?link=1 with an identity that belongs to someone else changes nobody's account", async () => {
    const jar = new CookieJar();
    await signIn(jar, "/api/v1/auth/google/login");
    github.setUser({ id: 501, login: "hal", name: "Hal", email: null });
    const landed = await signIn(jar, "/api/v1/auth/github/login?link=1");
    expect(landed).toBe("/signin?error=AccessDenied");
    const still = await me(jar);
    expect(still.id).toBe(gina.id);
    expect(providers(still)).toEqual(["github", "google"]);
    const halJar = new CookieJar();
    await signIn(halJar, "/api/v1/auth/github/login");
    const halNow = await me(halJar);
    expect(halNow.id).toBe(hal.id);
    expect(providers(halNow)).toEqual(["github"]);
  });

  it("?link=1 from a local session links Google to the local user; the session and an API key see each change at once", async () => {
    const { jar, authorization } = await apiKeyFor(server.url, "lena");
    const byKey = async () => {
      const res = await fetch(`${server.url}/api/v1/me`, { headers: { authorization } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: Me }).data;
    };
    // Both callers are resolved (and any lookup of them cached) before each change.
    const local = await me(jar);
    expect(await byKey()).toMatchObject({ id: local.id, email: null, identities: [{ provider: "local" }] });
    google.setUser({ sub: "google-sub-200", email: "lena@example.com", name: "Lena" });
    await signIn(jar, "/api/v1/auth/google/login?link=1");
    const after = await me(jar);
    expect(after.id).toBe(local.id);
    expect(providers(after)).toEqual(["google", "local"]);
    expect(providers(await byKey())).toEqual(["google", "local"]);
    // Signing in with the linked identity fills in the email the local user lacked.
    expect(after.email).toBeNull();
    await signIn(new CookieJar(), "/api/v1/auth/google/login");
    expect(await me(jar)).toMatchObject({ id: local.id, email: "lena@example.com" });
    expect(await byKey()).toMatchObject({ id: local.id, email: "lena@example.com" });
  });

  it("?link=1 without a session is an ordinary sign-in", async () => {
    google.setUser({ sub: "google-sub-300", email: "max@example.com", name: "Max" });
    const jar = new CookieJar();
    await signIn(jar, "/api/v1/auth/google/login?link=1");
    const max = await me(jar);
    expect(providers(max)).toEqual(["google"]);
    expect([gina.id, hal.id]).not.toContain(max.id);
  });

  it("the database holds exactly one user per person and one account row per identity", async () => {
    expect(await server.stop()).toBe(0);
    const rows = await queryDbFile<{ name: string; provider: string; provider_account_id: string }>(
      server.dataDir,
      "SELECT u.name, a.provider, a.provider_account_id FROM accounts a JOIN users u ON u.id = a.user_id ORDER BY a.provider, a.provider_account_id",
    );
    expect(rows).toEqual([
      { name: "Hal", provider: "github", provider_account_id: "501" },
      { name: "Gina", provider: "github", provider_account_id: "777" },
      { name: "Gina", provider: "google", provider_account_id: "google-sub-100" },
      { name: "lena", provider: "google", provider_account_id: "google-sub-200" },
      { name: "Max", provider: "google", provider_account_id: "google-sub-300" },
      { name: "lena", provider: "local", provider_account_id: "lena" },
    ]);
    const users = await queryDbFile<{ n: number }>(server.dataDir, "SELECT count(*)::INTEGER AS n FROM users");
    expect(users).toEqual([{ n: 4 }]);
    expect(server.output()).not.toMatch(/google-secret-xyz|github-secret-xyz|gho_/);
  });
});
