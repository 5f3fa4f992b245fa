import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, tempDir, type TestServer } from "../helpers/server";

/** Shared across runs and test files: one real npm install per template per machine, then hard links. */
export const TEMPLATE_CACHE_DIR = path.resolve("node_modules/.cache/slipway-template-cache");

export interface Ctx {
  server: TestServer;
  root: string;
  projectsDir: string;
  alice: Client;
  bob: Client;
}

export type Client = ReturnType<typeof client>;

export function client(baseUrl: string, authorization: string) {
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { authorization, ...headers } };
    if (body instanceof FormData || body instanceof Uint8Array || typeof body === "string") init.body = body as BodyInit;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    return fetch(`${baseUrl}${url}`, init);
  };
  return {
    call,
    /** JSON request expecting `status`; returns the parsed body. */
    async json<T = { data: unknown; metadata: Record<string, unknown>; message: string }>(
      method: string,
      url: string,
      body?: unknown,
      status = 200,
      headers: Record<string, string> = {},
    ): Promise<T> {
      const res = await call(method, url, body, headers);
      const text = await res.text();
      expect(res.status, `${method} ${url}: ${text.slice(0, 500)}`).toBe(status);
      return JSON.parse(text) as T;
    },
  };
}

/** Starts a server with PROJECTS_DIR inside a temp root (so canaries can sit next to it) and signs in alice and bob. */
export async function startProjectsServer(env: Record<string, string> = {}): Promise<Ctx> {
  const root = tempDir("slipway-projects-");
  const projectsDir = path.join(root, "projects");
  fs.mkdirSync(projectsDir, { recursive: true });
  const server = await startServer({
    dataDir: path.join(root, "data"),
    env: {
      PROJECTS_DIR: projectsDir,
      TEMPLATE_CACHE_DIR,
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
      ...env,
    },
  });
  const a = await apiKeyFor(server.url, "alice");
  const b = await apiKeyFor(server.url, "bob");
  return { server, root, projectsDir, alice: client(server.url, a.authorization), bob: client(server.url, b.authorization) };
}

export interface ApiProject {
  id: string;
  name: string;
  slug: string;
  template: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** Creates a project; its container is not started unless `body` asks (these tests are about files and rows). */
export async function createProject(c: Client, body: Record<string, unknown> = { template: "static" }): Promise<ApiProject> {
  return (await c.json<{ data: ApiProject }>("POST", "/api/v1/projects", { start_container: false, ...body }, 201)).data;
}

export const q = (p: string) => encodeURIComponent(p);

/** Every file and link under `dir` with a content hash (links: their target), for before/after comparisons. */
export function snapshot(dir: string, skip: (abs: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (skip(abs)) continue;
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) out.set(abs, `link:${fs.readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.set(abs, "dir");
        visit(abs);
      } else out.set(abs, `${st.size}:${st.mtimeMs}:${createHash("sha256").update(fs.readFileSync(abs)).digest("hex")}`);
    }
  };
  visit(dir);
  return out;
}

export const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");
