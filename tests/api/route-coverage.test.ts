import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allContracts } from "@/lib/api/contracts";
import { apiRouteFiles, apiRoutes, catchAllRouteFile, exportedMethods, implementedMethods, routePath } from "../helpers/routes";
import { startServer, type TestServer } from "../helpers/server";

const files = apiRouteFiles;
const exported = apiRoutes.filter((r) => r.file !== catchAllRouteFile);

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

describe("each route file answers every method Next dispatches", () => {
  const routeFiles = files.filter((f) => f !== catchAllRouteFile);

  it.each(routeFiles)("%s exports GET, POST, PUT, PATCH, DELETE and OPTIONS", (file) => {
    expect(exportedMethods(fs.readFileSync(file, "utf8")).sort()).toEqual(["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]);
  });

  it.each(routeFiles)("%s implements exactly its contracts' methods", (file) => {
    const contracts = allContracts.filter((c) => c.path === routePath(file)).map((c) => c.method);
    expect(contracts.length).toBeGreaterThan(0);
    expect(implementedMethods(fs.readFileSync(file, "utf8")).sort()).toEqual([...new Set(contracts)].sort());
  });
});
