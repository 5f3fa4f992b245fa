import { afterAll, describe, expect, it } from "vitest";
import { CookieJar, followSignIn } from "../helpers/auth";
import { freePort, startServer, type TestServer } from "../helpers/server";
import { startFakeGitHub } from "../fixtures/oauth/fake-github";
import { startFakeGoogle } from "../fixtures/oauth/fake-google";

// Which callback path Google and GitHub are told (OAUTH_CALLBACK_PATH), against local stand-ins that accept only the
// redirect_uri their OAuth app is registered with, in the authorization request and in the code exchange alike.

const running: Array<{ stop?: () => Promise<unknown>; close?: () => Promise<unknown> }> = [];
afterAll(async () => {
  for (const r of running.reverse()) await (r.stop ?? r.close)!.call(r);
});

async function world(callback: (provider: string) => string, env: Record<string, string> = {}) {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const google = await startFakeGoogle({ clientId: "google-client", clientSecret: "google-secret-xyz", redirectUri: `${base}${callback("google")}` });
  const github = await startFakeGitHub({ clientId: "github-client", clientSecret: "github-secret-xyz", redirectUri: `${base}${callback("github")}` });
  running.push(google, github);
  const server: TestServer = await startServer({
    port,
    env: {
      GOOGLE_CLIENT_ID: "google-client",
      GOOGLE_CLIENT_SECRET: "google-secret-xyz",
      GOOGLE_ISSUER: google.issuer,
      GITHUB_CLIENT_ID: "github-client",
      GITHUB_CLIENT_SECRET: "github-secret-xyz",
      GITHUB_URL: github.url,
      ...env,
    },
  });
  running.push(server);
  google.setUser({ sub: "google-sub-7", email: "ada@example.com", name: "Ada" });
  github.setUser({ id: 77, login: "ada", name: "Ada", email: null });
  return { server, google, github };
}

async function signedInName(server: TestServer, jar: CookieJar): Promise<string> {
  const res = await jar.fetch(`${server.url}/api/v1/me`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { name: string } }).data.name;
}

describe("OAuth callback path", () => {
  it("by default the providers return to /api/v1/auth/{provider}/callback, and sign-in completes there", async () => {
    const { server } = await world((p) => `/api/v1/auth/${p}/callback`);
    for (const provider of ["google", "github"]) {
      const jar = new CookieJar();
      const { landing, steps } = await followSignIn(jar, server.url, `/api/v1/auth/${provider}/login?redirect_to=/settings`);
      expect(landing).toBe("/settings");
      expect(steps.some((s) => s.includes(`/api/v1/auth/${provider}/callback?`))).toBe(true);
      expect(steps.some((s) => s.includes(`/api/v1/auth/callback/${provider}`))).toBe(false);
      expect(await signedInName(server, jar)).toBe("Ada");
    }
  });

  it("OAUTH_CALLBACK_PATH=next-auth keeps next-auth's /api/v1/auth/callback/{provider}", async () => {
    const { server } = await world((p) => `/api/v1/auth/callback/${p}`, { OAUTH_CALLBACK_PATH: "next-auth" });
    for (const provider of ["google", "github"]) {
      const jar = new CookieJar();
      const { landing, steps } = await followSignIn(jar, server.url, `/api/v1/auth/${provider}/login`);
      expect(landing).toBe("/");
      expect(steps.some((s) => s.includes(`/api/v1/auth/callback/${provider}?`))).toBe(true);
      expect(await signedInName(server, jar)).toBe("Ada");
    }
  });

  it("a callback for a provider that is not configured is a 404 in the error body; a forged one signs nobody in", async () => {
    const { server } = await world((p) => `/api/v1/auth/${p}/callback`, { GITHUB_CLIENT_ID: "", GITHUB_CLIENT_SECRET: "" });
    const off = await fetch(`${server.url}/api/v1/auth/github/callback?code=x&state=y`, { redirect: "manual" });
    expect(off.status).toBe(404);
    expect(((await off.json()) as { detail: string }).detail).toMatch(/github sign-in is not configured/);
    const jar = new CookieJar();
    const forged = await jar.fetch(`${server.url}/api/v1/auth/google/callback?code=made-up&state=made-up`);
    expect(forged.status).toBeGreaterThanOrEqual(300);
    expect((await jar.fetch(`${server.url}/api/v1/me`)).status).toBe(401);
  });
});
