import { execFile } from "node:child_process";
import { promisify } from "node:util";

export type Who = { authorization: string };

export function apiFor(baseUrl: () => string) {
  return async (who: Who, p: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const res = await fetch(`${baseUrl()}${p}`, {
      ...rest,
      body: json === undefined ? rest.body : JSON.stringify(json),
      headers: { authorization: who.authorization, "content-type": "application/json", ...rest.headers },
    });
    const text = await res.text();
    let body: { message?: string; detail?: string; data?: unknown; error?: Record<string, unknown> } & Record<string, unknown> = {};
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text, headers: res.headers };
  };
}

/** Creates a project from a template through the API; returns its id and slug. */
export async function createProject(api: ReturnType<typeof apiFor>, who: Who, name: string, template = "static") {
  const res = await api(who, "/api/v1/projects", { method: "POST", json: { name, template } });
  if (res.status !== 201) throw new Error(`create project: ${res.status} ${res.text}`);
  return res.body.data as { id: string; slug: string };
}

export async function writeFile(api: ReturnType<typeof apiFor>, who: Who, projectId: string, path: string, content: string) {
  const res = await api(who, `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(path)}`, { method: "PUT", json: { content } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`write ${path}: ${res.status} ${res.text}`);
}

export async function readFile(api: ReturnType<typeof apiFor>, who: Who, projectId: string, path: string): Promise<string | null> {
  const res = await api(who, `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(path)}`);
  if (res.status === 404) return null;
  return (res.body.data as { content: string }).content;
}

/** Test-side git against the fake GitHub's git server, authenticating like GitHub (token as Basic password). */
// Async: the fake git server runs in the test process, so a synchronous git would deadlock against it.
export async function gitAs(token: string, cwd: string, args: string[]): Promise<string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  const { stdout } = await promisify(execFile)(
    "git",
    ["-c", `http.extraHeader=Authorization: Basic ${basic}`, "-c", "user.name=Tester", "-c", "user.email=t@example.com", ...args],
    {
      cwd,
      env: { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH, HOME: cwd, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return stdout;
}
