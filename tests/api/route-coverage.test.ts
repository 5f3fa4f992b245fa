import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../helpers/server";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** app/api/v1/projects/[project_id]/route.ts → /api/v1/projects/{project_id} */
function routePath(file: string): string {
  const segments = path
    .relative("app", path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => s.replace(/^\[\[?(?:\.\.\.)?(\w+)\]?\]$/, "{$1}"));
  return `/${segments.join("/")}`;
}

function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) found.add(m[1]!);
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()!.trim();
      if ((METHODS as readonly string[]).includes(name)) found.add(name);
    }
  }
  return [...found];
}

// Every API route, plus /health (the load balancers' alias); pages and asset routes are not API.
const files = [...routeFiles(path.resolve("app/api")), path.resolve("app/health/route.ts")].map((f) => path.relative(process.cwd(), f));
const catchAll = path.join("app", "api", "[[...path]]", "route.ts");
const exported = files
  .filter((f) => f !== catchAll)
  .flatMap((file) => exportedMethods(fs.readFileSync(file, "utf8")).map((method) => ({ file, method, path: routePath(file) })));

let server: TestServer;
let doc: { openapi: string; paths: Record<string, Record<string, { summary?: string; responses?: object }>> };

beforeAll(async () => {
  server = await startServer();
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

describe("every route is documented in /api/v1/openapi.json", () => {
  it("finds the route files", () => {
    expect(files).toContain(path.join("app", "api", "v1", "me", "route.ts"));
    expect(exported.length).toBeGreaterThan(5);
    expect(doc.openapi).toBe("3.1.0");
  });

  it.each(exported)("$method $path ($file)", ({ method, path: p }) => {
    const op = doc.paths[p]?.[method.toLowerCase()];
    expect(op, `${method} ${p} is not in the OpenAPI document`).toBeDefined();
    expect(op!.summary).toBeTruthy();
    expect(op!.responses).toBeTruthy();
  });

  it("documents nothing that no route file serves", () => {
    const served = new Set(exported.map((e) => `${e.method} ${e.path}`));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((d) => !served.has(d))).toEqual([]);
  });
});
