import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVercelFake, type VercelFake } from "../fixtures/vercel-fake/server";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import { apiFor, createProject, writeFile, type Who } from "./helpers";

const TOKEN = "vercel_aliceToken_0123456789abcdefghij";

let vercel: VercelFake;
let server: TestServer;
let alice: Who;
let bob: Who;
let project: { id: string; slug: string };
const api = apiFor(() => server.url);

type Deployment = {
  id: string;
  vercel_id: string;
  url: string;
  state: string;
  checkpoint_sha: string;
  file_count: number;
  uploaded_count: number;
  error: string | null;
};

const sha1 = (data: Buffer | string) => createHash("sha1").update(data).digest("hex");

/** The project's files as Vercel should receive them: path, SHA-1 and size of every regular file. */
function expectedFiles(projectId: string) {
  const dir = path.join(server.dataDir, "projects", projectId);
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const data = fs.readFileSync(path.join(e.parentPath, e.name));
      return { file: path.relative(dir, path.join(e.parentPath, e.name)), sha: sha1(data), size: data.length };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

beforeAll(async () => {
  vercel = await startVercelFake();
  vercel.addUser(TOKEN, "alice-vc");
  server = await startServer({ env: { VERCEL_API_URL: vercel.url } });
  [alice, bob] = await Promise.all([apiKeyFor(server.url, "alice"), apiKeyFor(server.url, "bob")]);
  project = await createProject(api, alice, "Vercel site");
  expect((await api(alice, "/api/v1/integrations/vercel", { method: "POST", json: { token: TOKEN, team_id: "team_42" } })).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await vercel?.close();
});

describe("Vercel deployments", () => {
  it("without a Vercel connection: 409 saying to connect", async () => {
    const bobs = await createProject(api, bob, "Bob vercel");
    const res = await api(bob, `/api/v1/projects/${bobs.id}/vercel/deployments`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "not_connected", provider: "vercel" });
  });

  it("another user's project is 404", async () => {
    expect((await api(bob, `/api/v1/projects/${project.id}/vercel/deployments`, { method: "POST" })).status).toBe(404);
    expect((await api(bob, `/api/v1/projects/${project.id}/vercel/deployments`)).status).toBe(404);
  });

  it("uploads the missing files with their SHA-1 digests, creates the deployment, polls until READY and returns the URL", async () => {
    const before = vercel.requests.length;
    const res = await api(alice, `/api/v1/projects/${project.id}/vercel/deployments`, { method: "POST" });
    expect(res.status, res.text).toBe(201);
    const d = res.body.data as Deployment;
    const files = expectedFiles(project.id);
    expect(d).toMatchObject({ state: "READY", file_count: files.length, uploaded_count: files.length, error: null });
    expect(d.url).toMatch(new RegExp(`^https://${project.slug}-[0-9a-f]{8}\\.vercel\\.app$`));

    const calls = vercel.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v13/deployments",
      ...files.map(() => "POST /v2/files"),
      "POST /v13/deployments",
      "GET /v13/deployments/" + d.vercel_id,
      "GET /v13/deployments/" + d.vercel_id,
    ]);
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(call.query.get("teamId")).toBe("team_42");
    }
    // Exactly the project's files, each uploaded once with a digest the fake verified against the bytes.
    const uploads = vercel.uploads.slice(-files.length);
    expect(uploads.map((u) => u.sha).sort()).toEqual(files.map((f) => f.sha).sort());
    for (const u of uploads) {
      expect(u.headers["content-type"]).toBe("application/octet-stream");
      expect(Number(u.headers["content-length"])).toBe(u.size);
    }
    const create = calls.at(-3)!.body as { name: string; files: { file: string; sha: string; size: number }[]; projectSettings: unknown; target: string };
    expect(create.name).toBe(project.slug);
    expect([...create.files].sort((a, b) => a.file.localeCompare(b.file))).toEqual(files);
    expect(create.projectSettings).toEqual({ framework: null, buildCommand: null, outputDirectory: null, installCommand: null });
  });

  it("a second deploy uploads only the changed file", async () => {
    await writeFile(api, alice, project.id, "index.html", "<h1>v2</h1>\n");
    const uploadsBefore = vercel.uploads.length;
    const res = await api(alice, `/api/v1/projects/${project.id}/vercel/deployments`, { method: "POST", json: { name: "custom-name" } });
    expect(res.status, res.text).toBe(201);
    const d = res.body.data as Deployment;
    expect(d).toMatchObject({ state: "READY", uploaded_count: 1 });
    expect(d.url).toMatch(/^https:\/\/custom-name-/);
    expect(vercel.uploads.slice(uploadsBefore).map((u) => u.sha)).toEqual([sha1("<h1>v2</h1>\n")]);
  });

  it("a failed Vercel build is recorded as ERROR with Vercel's message", async () => {
    await writeFile(api, alice, project.id, "broken.txt", "VERCEL_FAIL_BUILD\n");
    const res = await api(alice, `/api/v1/projects/${project.id}/vercel/deployments`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(res.body.message).toBe("The Vercel build failed");
    expect(res.body.data).toMatchObject({ state: "ERROR", error: 'Command "build" exited with 1', uploaded_count: 1 });
  });

  it("lists the project's deployments newest first", async () => {
    const res = await api(alice, `/api/v1/projects/${project.id}/vercel/deployments`);
    expect(res.status).toBe(200);
    const list = res.body.data as Deployment[];
    expect(list.map((d) => d.state)).toEqual(["ERROR", "READY", "READY"]);
    expect(new Set(list.map((d) => d.checkpoint_sha)).size).toBe(3);
  });

  it("a revoked token is a reconnect error", async () => {
    vercel.revoke(TOKEN);
    const res = await api(alice, `/api/v1/projects/${project.id}/vercel/deployments`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "reconnect_required", provider: "vercel" });
    expect(res.body.detail).toBe("Vercel rejected the stored token (revoked or expired). Reconnect Vercel: POST /api/v1/integrations/vercel with a new token.");
    expect((await api(alice, "/api/v1/integrations")).body.data).toMatchObject([{ provider: "vercel", status: "reconnect_required" }]);
    expect(server.output()).not.toContain(TOKEN);
  });
});
