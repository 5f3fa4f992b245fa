import { createHash } from "node:crypto";
import http from "node:http";
import path from "node:path";
import Docker from "dockerode";
import WebSocket from "ws";
import type { TestServer } from "../helpers/server";

export const docker = new Docker();

/** Fails loudly with instructions when no engine is reachable. */
export async function requireEngine() {
  try {
    await docker.version();
  } catch (error) {
    throw new Error(
      `These tests need a real Docker engine (${(error as Error).message}). Install and start one: apt-get install -y docker.io && dockerd >/tmp/dockerd.log 2>&1 &`,
    );
  }
}

/** The slipway.instance label value of a server using `dataDir` (see lib/containers/config.ts). */
export const instanceOf = (dataDir: string) => createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 12);

export async function instanceContainers(dataDir: string) {
  return docker.listContainers({ all: true, filters: { label: [`slipway.instance=${instanceOf(dataDir)}`] } });
}

/** The instance's container network (lib/containers/network.ts), when it exists. */
export async function instanceNetwork(dataDir: string) {
  const name = `slipway-${instanceOf(dataDir)}`;
  const [found] = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  return found ? docker.getNetwork(found.Id).inspect() : undefined;
}

/** Removes the instance's containers and its network (each test server makes its own). */
export async function removeInstanceContainers(dataDir: string) {
  for (const c of await instanceContainers(dataDir))
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  const networks = await docker.listNetworks({ filters: { label: [`slipway.instance=${instanceOf(dataDir)}`] } });
  for (const n of networks)
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
}

export interface Auth {
  authorization: string;
  userId: string;
}

export async function api<T = unknown>(server: TestServer, auth: Auth | null, method: string, url: string, body?: unknown) {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...(auth ? { authorization: auth.authorization } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: { data: T; message: string; detail?: string; error?: { code: string; message: string; [key: string]: unknown } } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json: json!, text, headers: res.headers };
}

export async function createProject(server: TestServer, auth: Auth, template = "static") {
  // These tests start (and stop) the container themselves.
  const res = await api<{ id: string; slug: string }>(server, auth, "POST", "/api/v1/projects", { template, start_container: false });
  if (res.status !== 201) throw new Error(`project create failed: ${res.status} ${res.text}`);
  return res.json.data;
}

export async function writeFile(server: TestServer, auth: Auth, projectId: string, file: string, content: string) {
  const res = await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`, { content });
  if (res.status !== 200 && res.status !== 201) throw new Error(`file write failed: ${res.status} ${res.text}`);
}

export const previewHost = (server: TestServer, slug: string) => `${slug}.preview.localhost:${server.port}`;

/** A request to the preview through Slipway: to 127.0.0.1:PORT with the preview Host header. */
export function previewRequest(
  server: TestServer,
  slug: string,
  urlPath: string,
  opts: { cookie?: string; method?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        path: urlPath,
        method: opts.method ?? "GET",
        headers: { host: previewHost(server, slug), ...(opts.cookie ? { cookie: opts.cookie } : {}) },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error("preview request timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** Follows the owner's preview_auth_url and returns the cookie it sets on the preview host. */
export async function previewCookie(server: TestServer, auth: Auth, projectId: string, slug: string): Promise<string> {
  const state = await api<{ preview_auth_url: string }>(server, auth, "GET", `/api/v1/projects/${projectId}/container`);
  const url = new URL(state.json.data.preview_auth_url);
  const res = await previewRequest(server, slug, url.pathname + url.search);
  if (res.status !== 302) throw new Error(`preview auth failed: ${res.status} ${res.body}`);
  const setCookie = res.headers["set-cookie"]?.[0];
  if (!setCookie) throw new Error("preview auth set no cookie");
  return setCookie.split(";")[0]!;
}

/** Opens a WebSocket through the preview proxy. */
export function previewSocket(server: TestServer, slug: string, urlPath: string, cookie?: string, protocol?: string): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}${urlPath}`, protocol ? [protocol] : [], {
    headers: { host: previewHost(server, slug), ...(cookie ? { cookie } : {}) },
    handshakeTimeout: 30_000,
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
