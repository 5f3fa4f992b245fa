import type { Auth } from "../../tests/containers/support";
import type { TestServer } from "../../tests/helpers/server";

/** A signed-in user's view of one Slipway server, as the eval drives it (REST with an API key). */
export interface Slipway {
  server: TestServer;
  auth: Auth;
}

export interface ContainerView {
  state: "stopped" | "starting" | "ready" | "crashed";
  last_error: string | null;
  preview_url: string;
  preview_auth_url: string;
}

export interface ExecResult {
  exit_code: number | null;
  output: string;
  timed_out: boolean;
}

export interface PreviewError {
  kind: string;
  message: string;
  file: string | null;
  line: number | null;
}

/** How long a REST call may take (starting a container waits for its dev server; exec passes its own). */
const CALL_TIMEOUT_MS = 180_000;

async function request(slipway: Slipway, method: string, url: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string }> {
  const res = await fetch(`${slipway.server.url}${url}`, {
    method,
    headers: { authorization: slipway.auth.authorization, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, text: await res.text() };
}

/** Calls a JSON route; throws with the status and body unless it answers 200 or 201. */
export async function call<T>(slipway: Slipway, method: string, url: string, body?: unknown, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
  const res = await request(slipway, method, url, body, timeoutMs);
  if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${url}: ${res.status} ${res.text.slice(0, 500)}`);
  return (JSON.parse(res.text) as { data: T }).data;
}

/** A project file's text, or null when it does not exist. */
export async function readProjectFile(slipway: Slipway, projectId: string, file: string): Promise<string | null> {
  const res = await request(slipway, "GET", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`, undefined, 30_000);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`reading ${file}: ${res.status} ${res.text.slice(0, 300)}`);
  const { content, encoding } = (JSON.parse(res.text) as { data: { content: string; encoding: string } }).data;
  return encoding === "base64" ? Buffer.from(content, "base64").toString("utf8") : content;
}

/** Writes a project file through the files API (as the editor does). */
export async function writeProjectFile(slipway: Slipway, projectId: string, file: string, content: string): Promise<void> {
  await call(slipway, "PUT", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`, { content }, 30_000);
}
