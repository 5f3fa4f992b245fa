import path from "node:path";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesContracts } from "@/lib/api/contracts/files";
import { projectsContracts } from "@/lib/api/contracts/projects";
import { expectError } from "../api/support";
import { createProject, snapshot, startProjectsServer, type ApiProject, type Ctx } from "./support";

let ctx: Ctx;
let project: ApiProject;
let checkpoint: string;

beforeAll(async () => {
  ctx = await startProjectsServer();
  project = await createProject(ctx.alice, { template: "static", name: "alice-site" });
  await ctx.alice.json("PUT", `/api/v1/projects/${project.id}/files/content?path=notes.txt`, { content: "alice's notes" }, 201);
  const cp = await ctx.alice.json<{ data: { id: string } }>("POST", `/api/v1/projects/${project.id}/checkpoints`, { message: "alice" }, 201);
  checkpoint = cp.data.id;
});

afterAll(async () => {
  await ctx?.server.stop();
});

const zipForm = () => {
  const form = new FormData();
  form.set("file", new Blob([zipSync({ "index.html": new TextEncoder().encode("bob was here") }) as Uint8Array<ArrayBuffer>]), "x.zip");
  return form;
};
const uploadForm = () => {
  const form = new FormData();
  form.append("files", new Blob(["bob was here"]), "index.html");
  return form;
};

// Every route of a project, as bob would call it against alice's project.
const matrix: { route: string; call: (id: string) => [string, string, unknown?] }[] = [
  { route: "GET /api/v1/projects/{project_id}", call: (id) => ["GET", `/api/v1/projects/${id}`] },
  { route: "PATCH /api/v1/projects/{project_id}", call: (id) => ["PATCH", `/api/v1/projects/${id}`, { name: "bob-owns-this" }] },
  { route: "DELETE /api/v1/projects/{project_id}", call: (id) => ["DELETE", `/api/v1/projects/${id}`] },
  { route: "GET /api/v1/projects/{project_id}/files", call: (id) => ["GET", `/api/v1/projects/${id}/files`] },
  { route: "GET /api/v1/projects/{project_id}/files/content", call: (id) => ["GET", `/api/v1/projects/${id}/files/content?path=notes.txt`] },
  {
    route: "PUT /api/v1/projects/{project_id}/files/content",
    call: (id) => ["PUT", `/api/v1/projects/${id}/files/content?path=notes.txt`, { content: "bob" }],
  },
  { route: "DELETE /api/v1/projects/{project_id}/files/content", call: (id) => ["DELETE", `/api/v1/projects/${id}/files/content?path=notes.txt`] },
  { route: "POST /api/v1/projects/{project_id}/files/move", call: (id) => ["POST", `/api/v1/projects/${id}/files/move`, { from: "notes.txt", to: "bob.txt" }] },
  { route: "POST /api/v1/projects/{project_id}/files/mkdir", call: (id) => ["POST", `/api/v1/projects/${id}/files/mkdir`, { path: "bob" }] },
  { route: "POST /api/v1/projects/{project_id}/files/upload", call: (id) => ["POST", `/api/v1/projects/${id}/files/upload`, uploadForm()] },
  { route: "GET /api/v1/projects/{project_id}/download", call: (id) => ["GET", `/api/v1/projects/${id}/download`] },
  { route: "POST /api/v1/projects/{project_id}/import", call: (id) => ["POST", `/api/v1/projects/${id}/import?mode=replace`, zipForm()] },
  { route: "GET /api/v1/projects/{project_id}/history", call: (id) => ["GET", `/api/v1/projects/${id}/history`] },
  { route: "POST /api/v1/projects/{project_id}/checkpoints", call: (id) => ["POST", `/api/v1/projects/${id}/checkpoints`, { message: "bob" }] },
  { route: "POST /api/v1/projects/{project_id}/restore", call: (id) => ["POST", `/api/v1/projects/${id}/restore`, { checkpoint }] },
  { route: "GET /api/v1/projects/{project_id}/diff", call: (id) => ["GET", `/api/v1/projects/${id}/diff?from=${checkpoint}`] },
  { route: "GET /api/v1/projects/{project_id}/conversations", call: (id) => ["GET", `/api/v1/projects/${id}/conversations`] },
  { route: "GET /api/v1/projects/{project_id}/sessions", call: (id) => ["GET", `/api/v1/projects/${id}/sessions`] },
  {
    route: "POST /api/v1/projects/{project_id}/conversations/{message_id}/undo",
    call: (id) => ["POST", `/api/v1/projects/${id}/conversations/5e2a0c7b-0000-4000-8000-000000000000/undo`],
  },
];

describe("ownership matrix", () => {
  it("covers every project-scoped route this area defines", () => {
    const defined = [...projectsContracts, ...filesContracts].filter((c) => c.path.includes("{project_id}")).map((c) => `${c.method} ${c.path}`);
    expect(matrix.map((m) => m.route).sort()).toEqual(defined.sort());
  });

  it.each(matrix)("bob gets 404 from $route on alice's project, and nothing changes", async ({ call }) => {
    const dir = path.join(ctx.projectsDir, project.id);
    const before = snapshot(dir);
    const aliceBefore = await ctx.alice.json<{ data: unknown }>("GET", `/api/v1/projects/${project.id}`);
    const historyBefore = await ctx.alice.json<{ data: unknown[] }>("GET", `/api/v1/projects/${project.id}/history`);
    const [method, url, body] = call(project.id);
    const body404 = await expectError(await ctx.bob.call(method, url, body), 404, "not_found");
    expect(body404.detail).toBe("Project not found");
    // The same answer as for a project that does not exist at all.
    const [m2, u2, b2] = call("7d1f6a38-0000-4000-8000-000000000000");
    const missing = await expectError(await ctx.bob.call(m2, u2, b2), 404, "not_found");
    expect(missing.detail).toBe(body404.detail);
    expect(snapshot(dir)).toEqual(before);
    expect(await ctx.alice.json("GET", `/api/v1/projects/${project.id}`)).toEqual(aliceBefore);
    expect((await ctx.alice.json<{ data: unknown[] }>("GET", `/api/v1/projects/${project.id}/history`)).data).toEqual(historyBefore.data);
  });

  it("lists only the caller's own projects", async () => {
    const bobs = await ctx.bob.json<{ data: ApiProject[] }>("GET", "/api/v1/projects");
    expect(bobs.data.map((p) => p.id)).not.toContain(project.id);
    const alices = await ctx.alice.json<{ data: ApiProject[] }>("GET", "/api/v1/projects");
    expect(alices.data.map((p) => p.id)).toContain(project.id);
  });

  it("requires authentication on every route", async () => {
    for (const { call } of matrix) {
      const [method, url, body] = call(project.id);
      const init: RequestInit = { method };
      if (body instanceof FormData) init.body = body;
      else if (body) init.body = JSON.stringify(body);
      await expectError(await fetch(`${ctx.server.url}${url}`, init), 401, "unauthorized");
    }
    expect(snapshot(path.join(ctx.projectsDir, project.id)).size).toBeGreaterThan(0);
  });
});
