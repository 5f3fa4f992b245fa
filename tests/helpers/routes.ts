import fs from "node:fs";
import path from "node:path";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

/** app/api/v1/projects/[project_id]/route.ts → /api/v1/projects/{project_id} */
export function routePath(file: string): string {
  const segments = path
    .relative("app", path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => s.replace(/^\[\[?(?:\.\.\.)?(\w+)\]?\]$/, "{$1}"));
  return `/${segments.join("/")}`;
}

/** The method handlers a route file exports (`export const GET`, `export const { GET, POST } =`, `export { h as GET }`). */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) found.add(m[1]!);
  for (const block of source.matchAll(/export\s*(?:const\s*)?\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()!
        .trim();
      if ((METHODS as readonly string[]).includes(name)) found.add(name);
    }
  }
  return [...found];
}

/** The methods a route file implements: the handlers it gives methods() (lib/http/methods.ts), else the ones it exports. */
export function implementedMethods(source: string): string[] {
  const given = /=\s*methods\(\{\n([\s\S]*)\n\}\);/.exec(source)?.[1];
  if (given === undefined) return exportedMethods(source);
  return [...given.matchAll(/^ {2}(GET|POST|PUT|PATCH|DELETE): /gm)].map((m) => m[1]!);
}

/** Every API route file, plus /health (the load balancers' alias); pages and asset routes are not API. */
export const apiRouteFiles = [...routeFiles(path.resolve("app/api")), path.resolve("app/health/route.ts")].map((f) => path.relative(process.cwd(), f));

/** The API's catch-all (answers 404 for unknown API paths). */
export const catchAllRouteFile = path.join("app", "api", "[[...path]]", "route.ts");

/** Each method each API route file implements, with the route's path template. */
export const apiRoutes = apiRouteFiles.flatMap((file) =>
  implementedMethods(fs.readFileSync(file, "utf8")).map((method) => ({ file, method, path: routePath(file) })),
);
