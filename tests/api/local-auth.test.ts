import { describe, expect, it } from "vitest";
import { CookieJar, signInLocal } from "../helpers/auth";
import { startServer } from "../helpers/server";
import { expectError } from "./support";

/** Posts next-auth's local credentials form; returns the jar and the redirect target. */
async function attempt(url: string, username: string, password?: string) {
  const jar = new CookieJar();
  const csrf = (await (await jar.fetch(`${url}/api/v1/auth/csrf`)).json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken: csrf.csrfToken, username, callbackUrl: `${url}/` });
  if (password !== undefined) form.set("password", password);
  const res = await jar.fetch(`${url}/api/v1/auth/callback/local`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  return { jar, status: res.status, location: res.headers.get("location") ?? "" };
}

describe("local sign-in", () => {
  it("with LOCAL_AUTH_PASSWORD: a wrong or missing password fails, the right one works", async () => {
    const server = await startServer({ env: { LOCAL_AUTH_PASSWORD: "correct horse battery staple" } });
    try {
      for (const password of ["wrong", "", undefined, "correct horse battery stapl"]) {
        const r = await attempt(server.url, "lou", password);
        expect(r.jar.has("authjs.session-token")).toBe(false);
        expect(r.location).toMatch(/\/signin\?error=CredentialsSignin/);
        await expectError(await r.jar.fetch(`${server.url}/api/v1/me`), 401, "unauthorized");
      }
      const jar = await signInLocal(server.url, "lou", "correct horse battery staple");
      const me = await jar.fetch(`${server.url}/api/v1/me`);
      expect(me.status).toBe(200);
      expect(((await me.json()) as { data: { name: string } }).data.name).toBe("lou");
      // The same name signs in to the same user.
      const again = await signInLocal(server.url, "lou", "correct horse battery staple");
      const id = async (j: CookieJar) => ((await (await j.fetch(`${server.url}/api/v1/me`)).json()) as { data: { id: string } }).data.id;
      expect(await id(again)).toBe(await id(jar));
      expect(server.output()).not.toContain("correct horse battery staple");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("signs out: the session cookie is cleared", async () => {
    const server = await startServer();
    try {
      const jar = await signInLocal(server.url, "sol");
      const csrf = (await (await jar.fetch(`${server.url}/api/v1/auth/csrf`)).json()) as { csrfToken: string };
      const res = await jar.fetch(`${server.url}/api/v1/auth/signout`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: `${server.url}/signin` }),
      });
      expect(res.status).toBe(302);
      expect(jar.has("authjs.session-token")).toBe(false);
      await expectError(await jar.fetch(`${server.url}/api/v1/me`), 401, "unauthorized");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it.each<{ name: string; env: Record<string, string> }>([
    { name: "LOCAL_AUTH=off", env: { LOCAL_AUTH: "off" } },
    { name: "LOCAL_AUTH=auto with an OAuth app configured", env: { LOCAL_AUTH: "auto", GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "secret" } },
  ])("$name refuses local sign-in", async ({ env }) => {
    const server = await startServer({ env });
    try {
      const r = await attempt(server.url, "mallory");
      expect(r.jar.has("authjs.session-token")).toBe(false);
      await expectError(await r.jar.fetch(`${server.url}/api/v1/me`), 401, "unauthorized");
      const providers = (await (await fetch(`${server.url}/api/v1/auth/providers`)).json()) as Record<string, unknown>;
      expect(Object.keys(providers)).not.toContain("local");
      const health = (await (await fetch(`${server.url}/health`)).json()) as { data: { auth: { local: boolean } } };
      expect(health.data.auth.local).toBe(false);
      const page = await (await fetch(`${server.url}/signin`)).text();
      expect(page).not.toMatch(/Sign in locally/i);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("LOCAL_AUTH=auto with no OAuth app offers it, and the sign-in page says what it is", async () => {
    const server = await startServer({ env: { LOCAL_AUTH: "auto" } });
    try {
      const health = (await (await fetch(`${server.url}/health`)).json()) as { data: { auth: { local: boolean } } };
      expect(health.data.auth.local).toBe(true);
      const page = await (await fetch(`${server.url}/signin`)).text();
      expect(page).toMatch(/Sign in locally/i);
      expect(page).toMatch(/single-user|self-host/i);
      await signInLocal(server.url, "ada");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
