import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer } from "../helpers/server";
import { expectError, queryDbFile } from "../api/support";
import { TEMPLATE_CACHE_DIR, client, createProject, startProjectsServer, type ApiProject, type Ctx } from "./support";

let ctx: Ctx;

beforeAll(async () => {
  ctx = await startProjectsServer();
});

afterAll(async () => {
  await ctx?.server.stop();
});

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

describe("templates", () => {
  it("lists the four templates with their run settings", async () => {
    const res = await ctx.alice.json<{ data: { name: string; port: number; devCommand: string; hasDependencies: boolean }[] }>("GET", "/api/v1/templates");
    expect(res.data.map((t) => t.name)).toEqual(["nextjs", "node-api", "static", "vite-react"]);
    for (const t of res.data) expect(t.port).toBe(3000);
  });

  it("creates a static project with the template's files and a git-tracked first checkpoint", async () => {
    const p = await createProject(ctx.alice, { template: "static" });
    const dir = path.join(ctx.projectsDir, p.id);
    expect(fs.readFileSync(path.join(dir, "index.html"), "utf8")).toContain("Hello from Slipway");
    expect(fs.existsSync(path.join(dir, "template.json"))).toBe(false);
  });

  it("creates a node-api project", async () => {
    const p = await createProject(ctx.alice, { template: "node-api" });
    expect(fs.readFileSync(path.join(ctx.projectsDir, p.id, "server.js"), "utf8")).toContain('"0.0.0.0"');
  });

  // One real npm install per template per machine (the cache lives in node_modules/.cache); every
  // later create hard-links from it.
  it.each(["vite-react", "nextjs"])(
    "creates %s with node_modules hard-linked from the template cache",
    async (template) => {
      await createProject(ctx.alice, { template }); // warms the cache if it is cold
      const templates = await ctx.alice.json<{ data: { name: string; dependencies_cached: boolean }[] }>("GET", "/api/v1/templates");
      expect(templates.data.find((t) => t.name === template)!.dependencies_cached).toBe(true);
      const p = await createProject(ctx.alice, { template });
      const dir = path.join(ctx.projectsDir, p.id);
      const pkg = template === "nextjs" ? "next" : "vite";
      const file = path.join(dir, "node_modules", pkg, "package.json");
      // The cache folder is keyed by a hash; a machine may hold older keys too, so look in each.
      const hashes = fs.readdirSync(path.join(TEMPLATE_CACHE_DIR, template)).filter((d) => !d.startsWith("."));
      const cachedInodes = hashes
        .map((h) => path.join(TEMPLATE_CACHE_DIR, template, h, "node_modules", pkg, "package.json"))
        .filter((f) => fs.existsSync(f))
        .map((f) => fs.statSync(f).ino);
      expect(cachedInodes).toContain(fs.statSync(file).ino);
      expect(fs.existsSync(path.join(dir, "package-lock.json"))).toBe(true);
      // node_modules is never part of a checkpoint or the tree
      const tree = await ctx.alice.json<{ data: { path: string }[] }>("GET", `/api/v1/projects/${p.id}/files`);
      expect(tree.data.some((e) => e.path.startsWith("node_modules"))).toBe(false);
    },
    600_000,
  );
});

describe("cold template cache", () => {
  it("answers 503 when the dependencies cannot be installed, and leaves nothing behind", async () => {
    const cold = await startProjectsServer({
      TEMPLATE_CACHE_DIR: path.join(ctx.root, "empty-cache"),
      npm_config_registry: "http://127.0.0.1:9/",
      npm_config_fetch_retries: "0",
    });
    try {
      const res = await cold.alice.call("POST", "/api/v1/projects", { template: "vite-react", name: "offline" });
      const body = await expectError(res, 503, "unavailable");
      expect(body.detail).toContain("vite-react");
      const list = await cold.alice.json<{ data: unknown[] }>("GET", "/api/v1/projects");
      expect(list.data).toEqual([]);
      expect(fs.readdirSync(cold.projectsDir)).toEqual([]);
      expect(fs.readdirSync(path.join(ctx.root, "empty-cache", "vite-react"))).toEqual([]); // no half-filled cache
    } finally {
      await cold.server.stop();
    }
  }, 120_000);
});

describe("projects", () => {
  it("generates a readable unique name and a DNS-safe slug", async () => {
    const created = await Promise.all(Array.from({ length: 5 }, () => createProject(ctx.bob, { template: "static" })));
    for (const p of created) {
      expect(p.name).toMatch(/^[a-z]+-[a-z]+-\d{2}$/);
      expect(p.slug).toMatch(slugPattern);
    }
    expect(new Set(created.map((p) => p.name)).size).toBe(5);
  });

  it("slugs user-given names safely and keeps slugs unique across users", async () => {
    const a = await createProject(ctx.alice, { template: "static", name: "Ünïcode Café & Co!! " + "x".repeat(80) });
    expect(a.name).toBe("Ünïcode Café & Co!! " + "x".repeat(80));
    expect(a.slug).toMatch(slugPattern);
    expect(a.slug.startsWith("unicode-cafe-co-")).toBe(true);
    const b = await createProject(ctx.bob, { template: "static", name: "Ünïcode Café & Co!! " + "x".repeat(80) });
    expect(b.slug).not.toBe(a.slug);
    expect(b.slug).toMatch(slugPattern);
    const odd = await createProject(ctx.alice, { template: "static", name: "---" });
    expect(odd.slug).toMatch(slugPattern);
  });

  it("bad input: unknown template lists the valid ones, duplicate name is 409, invalid ids and fields are 400", async () => {
    const unknown = await expectError(await ctx.alice.call("POST", "/api/v1/projects", { template: "cobol" }), 400, "bad_request");
    expect(unknown.detail).toContain("nextjs, node-api, static, vite-react");
    await createProject(ctx.alice, { template: "static", name: "dup" });
    const dup = await expectError(await ctx.alice.call("POST", "/api/v1/projects", { template: "static", name: "dup" }), 409, "conflict");
    expect(dup.detail).toContain("dup");
    await createProject(ctx.bob, { template: "static", name: "dup" }); // names are per owner
    await expectError(await ctx.alice.call("GET", "/api/v1/projects/123"), 400, "bad_request");
    await expectError(await ctx.alice.call("DELETE", "/api/v1/projects/not-a-uuid"), 400, "bad_request");
    await expectError(await ctx.alice.call("POST", "/api/v1/projects", { template: "static", owner_id: "x" }), 400, "bad_request");
    await expectError(await ctx.alice.call("POST", "/api/v1/projects", { name: "", template: "static" }), 400, "bad_request");
    await expectError(await ctx.alice.call("PATCH", "/api/v1/projects/7d1f6a38-0000-4000-8000-000000000000", {}), 400, "bad_request");
  });

  it("lists newest first with pagination, reads, renames (slug stays) and refuses renaming onto another name", async () => {
    const fresh = await startProjectsServer();
    try {
      const made: ApiProject[] = [];
      for (let i = 0; i < 3; i++) made.push(await createProject(fresh.alice, { template: "static", name: `p${i}` }));
      const page = await fresh.alice.json<{ data: ApiProject[]; metadata: { total: number; has_more: boolean } }>("GET", "/api/v1/projects?limit=2");
      expect(page.data.map((p) => p.name)).toEqual(["p2", "p1"]);
      expect(page.metadata).toMatchObject({ total: 3, has_more: true });
      const renamed = await fresh.alice.json<{ data: ApiProject }>("PATCH", `/api/v1/projects/${made[0]!.id}`, { name: "renamed", description: "d" });
      expect(renamed.data).toMatchObject({ name: "renamed", description: "d", slug: made[0]!.slug });
      await expectError(await fresh.alice.call("PATCH", `/api/v1/projects/${made[0]!.id}`, { name: "p1" }), 409, "conflict");
      const got = await fresh.alice.json<{ data: ApiProject }>("GET", `/api/v1/projects/${made[0]!.id}`);
      expect(got.data.name).toBe("renamed");
    } finally {
      await fresh.server.stop();
    }
  });
});

describe("conversations and delete", () => {
  it("lists messages oldest first per project and session; delete removes rows, files and checkpoints", async () => {
    const fresh = await startProjectsServer();
    let project: ApiProject;
    let userId: string;
    try {
      const a = await apiKeyFor(fresh.server.url, "carol");
      userId = a.userId;
      project = await createProject(client(fresh.server.url, a.authorization), { template: "static" });
      const empty = await client(fresh.server.url, a.authorization).json<{ data: unknown[]; metadata: { total: number } }>(
        "GET",
        `/api/v1/projects/${project.id}/conversations`,
      );
      expect(empty.data).toEqual([]);
    } finally {
      await fresh.server.stop();
    }
    // Write rows the way the chat does, straight into the stopped server's database file. Each session ends with an
    // answer: a session left on a user message gets one at start-up (a turn the server's stop interrupted).
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(path.join(fresh.server.dataDir, "slipway.duckdb"));
    const conn = await instance.connect();
    const s1 = "11111111-1111-4111-8111-111111111111";
    const s2 = "22222222-2222-4222-8222-222222222222";
    await conn.run("INSERT INTO chat_sessions (id, project_id, user_id, title) VALUES ($1, $2, $3, 'one'), ($4, $2, $3, 'two')", [s1, project.id, userId, s2]);
    for (let i = 0; i < 5; i++) {
      await conn.run(
        'INSERT INTO chat_messages (id, session_id, project_id, user_id, role, content, parts, created_at) VALUES (uuid(), $1, $2, $3, $4, $5, \'[{"type":"text"}]\'::JSON, now() + to_seconds($6::BIGINT))',
        [i % 2 ? s2 : s1, project.id, userId, i < 3 ? "user" : "assistant", `m${i}`, String(i)],
      );
    }
    conn.closeSync();
    instance.closeSync();

    const again = await startServer({ dataDir: fresh.server.dataDir, env: { PROJECTS_DIR: fresh.projectsDir, TEMPLATE_CACHE_DIR } });
    try {
      const carol = client(again.url, (await apiKeyFor(again.url, "carol")).authorization);
      const dave = client(again.url, (await apiKeyFor(again.url, "dave")).authorization);
      const all = await carol.json<{
        data: { content: string; parts: unknown; session_id: string }[];
        metadata: { total: number; sessions: { id: string; message_count: number }[] };
      }>("GET", `/api/v1/projects/${project.id}/conversations`);
      expect(all.data.map((m) => m.content)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
      expect(all.data[0]!.parts).toEqual([{ type: "text" }]);
      expect(all.metadata.total).toBe(5);
      expect(all.metadata.sessions.map((s) => s.message_count).sort()).toEqual([2, 3]);
      const page = await carol.json<{ data: { content: string }[]; metadata: { has_more: boolean } }>(
        "GET",
        `/api/v1/projects/${project.id}/conversations?session_id=${s1}&limit=2&offset=1`,
      );
      expect(page.data.map((m) => m.content)).toEqual(["m2", "m4"]);
      await expectError(await carol.call("GET", `/api/v1/projects/${project.id}/conversations?session_id=nope`), 400, "bad_request");
      await expectError(await dave.call("GET", `/api/v1/projects/${project.id}/conversations`), 404, "not_found");

      await carol.json("DELETE", `/api/v1/projects/${project.id}`);
      await expectError(await carol.call("GET", `/api/v1/projects/${project.id}`), 404, "not_found");
      expect(fs.existsSync(path.join(fresh.projectsDir, project.id))).toBe(false);
      expect(fs.existsSync(path.join(fresh.server.dataDir, "checkpoints", `${project.id}.git`))).toBe(false);
    } finally {
      await again.stop();
    }
    const left = await queryDbFile<{ n: number }>(
      fresh.server.dataDir,
      "SELECT (SELECT count(*) FROM chat_messages WHERE project_id = $1) + (SELECT count(*) FROM chat_sessions WHERE project_id = $1) + (SELECT count(*) FROM projects WHERE id = $1) AS n",
      [project.id],
    );
    expect(Number(left[0]!.n)).toBe(0);
  }, 180_000);
});
