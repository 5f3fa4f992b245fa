/** A minimal cookie jar over fetch, enough for next-auth's CSRF + callback flow. */
export class CookieJar {
  private cookies = new Map<string, string>();

  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  has(name: string) {
    return this.cookies.has(name);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.header());
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(res);
    return res;
  }
}

/** Signs in through next-auth's real local-credentials flow; returns the session cookie jar. */
export async function signInLocal(baseUrl: string, username: string, password?: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrf = (await (await jar.fetch(`${baseUrl}/api/v1/auth/csrf`)).json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken: csrf.csrfToken, username, callbackUrl: `${baseUrl}/` });
  if (password !== undefined) form.set("password", password);
  const res = await jar.fetch(`${baseUrl}/api/v1/auth/callback/local`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  if (res.status !== 302 || !jar.has("authjs.session-token")) {
    throw new Error(`local sign-in failed: ${res.status} ${res.headers.get("location")}`);
  }
  return jar;
}

/** Signs in locally and creates an API key; returns the Authorization header value. */
export async function apiKeyFor(baseUrl: string, username: string): Promise<{ authorization: string; jar: CookieJar; userId: string }> {
  const jar = await signInLocal(baseUrl, username);
  const res = await jar.fetch(`${baseUrl}/api/v1/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "tests" }),
  });
  if (res.status !== 201) throw new Error(`api key create failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { data: { secret: string } };
  const me = (await (await jar.fetch(`${baseUrl}/api/v1/me`)).json()) as { data: { id: string } };
  return { authorization: `Bearer ${body.data.secret}`, jar, userId: me.data.id };
}

/**
 * Follows the redirects of an OAuth sign-in by hand, as a browser would, until it lands back on a Slipway page
 * (not /api/); returns that page and every step taken.
 */
export async function followSignIn(jar: CookieJar, baseUrl: string, start: string): Promise<{ landing: string; steps: string[] }> {
  let url = new URL(start, baseUrl).toString();
  const steps: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await jar.fetch(url);
    steps.push(`${res.status} ${url}`);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) {
      throw new Error(`sign-in stopped at ${res.status} ${url}: ${(await res.text()).slice(0, 300)}\n${steps.join("\n")}`);
    }
    url = new URL(location, url).toString();
    const next = new URL(url);
    if (next.origin === new URL(baseUrl).origin && !next.pathname.startsWith("/api/")) return { landing: next.pathname + next.search, steps };
  }
  throw new Error(`too many redirects:\n${steps.join("\n")}`);
}
