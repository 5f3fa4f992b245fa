/**
 * Which code may import which (docs/architecture.md, "Dependency direction"); `npm run lint:deps` checks it.
 * Layers, top to bottom: pages and route handlers (app/, components/) and the server entry (server.ts, lib/server)
 * → lib/http (the route wrapper and request parsing) → domain folders (lib/projects, lib/chat, lib/agent,
 * lib/deploys, lib/containers, …) → prisma-free-db → the leaves everyone may use (lib/shared, lib/env.ts,
 * lib/errors.ts, lib/log.ts).
 */
/** Domain folders: every folder of lib/ but the route layer (http), the server's composition (server), the browser's
 * code (client), the API contracts (api) and the shared leaf (shared). */
const DOMAIN = "^lib/(?!(http|server|client|api|shared)/)[^/]+/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "A module must not load itself through others: such cycles make the load order decide what is defined. Type-only imports count too: a type both sides need goes into its own small module.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-circular-folders",
      severity: "error",
      comment: "Two folders must not import each other (directly or through others): move the shared piece into the lower one.",
      scope: "folder",
      // A folder counts its subfolders, so lib (which holds the leaves env, errors and log) and prisma-free-db (which
      // uses them) would form a cycle through everything; the two rules below keep both in place instead.
      // The tests' folders share their helpers freely.
      from: { pathNot: "^(lib|prisma-free-db)$|^prisma-free-db/|^tests(/|$)" },
      to: { circular: true, pathNot: "^(lib|prisma-free-db)$|^prisma-free-db/|^tests(/|$)" },
    },
    {
      name: "db-is-below-lib",
      severity: "error",
      comment: "prisma-free-db is the one database client and its queries: it uses only the leaves.",
      from: { path: "^prisma-free-db/" },
      to: { path: "^(lib|app|components|server\\.ts)", pathNot: "^lib/(shared/|env\\.ts$|errors\\.ts$|log\\.ts$)" },
    },
    {
      name: "leaves-stay-leaves",
      severity: "error",
      comment: "lib/shared (also bundled for the browser), lib/env.ts, lib/errors.ts and lib/log.ts import only each other.",
      from: { path: "^lib/(shared/|env\\.ts$|errors\\.ts$|log\\.ts$)" },
      to: { path: "^(lib|app|components|prisma-free-db|server\\.ts)", pathNot: "^lib/(shared/|env\\.ts$|errors\\.ts$|log\\.ts$)" },
    },
    {
      name: "domain-below-routes",
      severity: "error",
      comment:
        "Domain folders serve the routes and the server; they never import pages, route handlers, the route wrapper, the server entry or the browser's code.",
      from: { path: DOMAIN },
      to: { path: "^(app/|components/|server\\.ts$|lib/(http|server|client)/)" },
    },
    {
      name: "contracts-below-http",
      severity: "error",
      comment: "The API contracts (lib/api) describe the wire for the route wrapper and the browser's types; they import no route code or domain service.",
      from: { path: "^lib/api/" },
      to: { path: "^(app/|components/|server\\.ts$|prisma-free-db/|lib/(http|server|client|auth)/)" },
    },
    {
      name: "http-below-routes",
      severity: "error",
      comment: "lib/http is used by the route handlers; it does not reach up into them or into the server entry.",
      from: { path: "^lib/http/" },
      to: { path: "^(app/|components/|server\\.ts$|lib/(server|client)/)" },
    },
    {
      name: "browser-code-is-client-only",
      severity: "error",
      comment: "Components and lib/client run in the browser: they may use lib/shared, lib/client and (type-only) the API contracts, nothing server-side.",
      from: { path: "^(components|lib/client)/" },
      to: { path: "^(lib|prisma-free-db|server\\.ts)", pathNot: "^lib/(shared|client|api)/" },
    },
    {
      name: "browser-code-contract-types-only",
      severity: "error",
      comment: "The browser may read the API contracts' types, never load their code (it reads the server's configuration).",
      from: { path: "^(components|lib/client)/" },
      to: { path: "^lib/api/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-tests-or-bench-in-product",
      severity: "error",
      comment: "Product code never imports the tests, the benchmarks or the eval harness.",
      from: { pathNot: "^(tests|bench|eval)/" },
      to: { path: "^(tests|bench|eval)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|templates|test-artifacts|data|tests/\\.tmp|bench/next-floor/\\.next)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
