import { api, type Auth } from "../../tests/containers/support";
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

/** Calls a JSON route; throws with the status and body unless it answers one of `ok`. */
export async function call<T>(slipway: Slipway, method: string, url: string, body?: unknown, ok: number[] = [200, 201]): Promise<T> {
  const res = await api<T>(slipway.server, slipway.auth, method, url, body);
  if (!ok.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${res.text.slice(0, 500)}`);
  return res.json.data;
}

/** A project file's text, or null when it does not exist. */
export async function readProjectFile(slipway: Slipway, projectId: string, file: string): Promise<string | null> {
  const res = await api<{ content: string; encoding: string }>(slipway.server, slipway.auth, "GET", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`reading ${file}: ${res.status} ${res.text.slice(0, 300)}`);
  const { content, encoding } = res.json.data;
  return encoding === "base64" ? Buffer.from(content, "base64").toString("utf8") : content;
}
