import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";
import {
  api,
  createProject,
  docker,
  instanceContainers,
  instanceOf,
  previewCookie,
  previewRequest,
  removeInstanceContainers,
  requireEngine,
  waitFor,
  type Auth,
} from "./support";

type State = { state: string; port: number | null; last_error: string | null };

const servers: TestServer[] = [];
const strays: string[] = [];

afterAll(async () => {
  for (const s of servers) {
    await removeInstanceContainers(s.dataDir);
    await s.stop();
  }
  for (const id of strays)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
});

async function boot(env: Record<string, string> = {}, dataDir?: string) {
  const server = await startServer({ env, dataDir });
  servers.push(server);
  return server;
}

describe("reconcile on server start", () => {
  it("adopts running containers of existing projects and removes those of deleted projects, touching no other instance's", async () => {
    await requireEngine();
    const first = await boot();
    const alice: Auth = await apiKeyFor(first.url, "alice");
    const project = await createProject(first, alice, "static");
    const started = await api<State>(first, alice, "POST", `/api/v1/projects/${project.id}/container/start`);
    expect(started.json.data.state).toBe("ready");
    const [running] = await instanceContainers(first.dataDir);
    const image = running!.Image;

    // Leftovers the new server must judge: one of a project that no longer exists (this instance),
    // one of another Slipway instance sharing the engine.
    const orphan = await docker.createContainer({
      Image: image,
      Cmd: ["sleep", "600"],
      Labels: { "slipway.project": randomUUID(), "slipway.instance": instanceOf(first.dataDir), "slipway.owner": alice.userId },
    });
    const foreign = await docker.createContainer({
      Image: image,
      Cmd: ["sleep", "600"],
      Labels: { "slipway.project": randomUUID(), "slipway.instance": "another-instance" },
    });
    strays.push(orphan.id, foreign.id);
    await orphan.start();

    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    expect((await docker.getContainer(running!.Id).inspect()).State.Running).toBe(true); // previews survive a restart

    const second = await boot({}, first.dataDir);
    await waitFor("reconcile log line", async () => second.output().includes("containers reconciled"));
    expect(second.output()).toMatch(/"msg":"containers reconciled".*"adopted":1,"removed":1/);
    await expect(docker.getContainer(orphan.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await docker.getContainer(foreign.id).inspect()).Id).toBe(foreign.id);

    // Adopted: same container, reported ready, preview served without a restart.
    const state = await waitFor("adopted container ready", async () => {
      const s = await api<State>(second, alice, "GET", `/api/v1/projects/${project.id}/container`);
      return s.json.data.state === "ready" ? s.json.data : undefined;
    });
    expect(state.port).toBe(started.json.data.port);
    const cookie = await previewCookie(second, alice, project.id, project.slug);
    const page = await previewRequest(second, project.slug, "/", { cookie });
    expect(page.status).toBe(200);
    expect((await instanceContainers(second.dataDir)).map((c) => c.Id)).toEqual([running!.Id]);

    // Deleting the project removes its container.
    expect((await api(second, alice, "DELETE", `/api/v1/projects/${project.id}`)).status).toBe(200);
    expect(await instanceContainers(second.dataDir)).toEqual([]);
  }, 180_000);
});

describe("idle stop", () => {
  it("stops a container after PREVIEW_IDLE_MINUTES without traffic and wakes it on the next preview request", async () => {
    const server = await boot({ PREVIEW_IDLE_MINUTES: "0.03" }); // ~2 s
    const alice: Auth = await apiKeyFor(server.url, "alice");
    const project = await createProject(server, alice, "static");
    const cookie = await previewCookie(server, alice, project.id, project.slug);
    const first = await previewRequest(server, project.slug, "/", { cookie }); // starts it
    expect(first.status).toBe(200);
    await waitFor("idle stop", async () => (await api<State>(server, alice, "GET", `/api/v1/projects/${project.id}/container`)).json.data.state === "stopped");
    expect(await instanceContainers(server.dataDir)).toEqual([]);
    expect(server.output()).toContain("stopping idle container");
    const woken = await previewRequest(server, project.slug, "/", { cookie });
    expect(woken.status, woken.body).toBe(200);
    expect(woken.body).toContain("Hello from Slipway");
  }, 120_000);
});

describe("engine down", () => {
  it("answers 503 on container routes and previews with a clear message while files and health keep working", async () => {
    const server = await boot({ DOCKER_HOST: "unix:///nonexistent/docker.sock" });
    const alice: Auth = await apiKeyFor(server.url, "alice");
    const project = await createProject(server, alice, "static");
    for (const [method, suffix] of [
      ["GET", ""],
      ["POST", "/start"],
      ["POST", "/restart"],
      ["POST", "/stop"],
      ["GET", "/logs"],
    ] as const) {
      const res = await api(server, alice, method, `/api/v1/projects/${project.id}/container${suffix}`);
      expect(res.status, `${method} ${suffix}`).toBe(503);
      expect(res.json.detail).toMatch(/Docker engine not reachable/);
    }
    const exec = await api(server, alice, "POST", `/api/v1/projects/${project.id}/container/exec`, { command: "ls" });
    expect(exec.status).toBe(503);
    const files = await api(server, alice, "GET", `/api/v1/projects/${project.id}/files/content?path=index.html`);
    expect(files.status).toBe(200);
    const health = await api<{ docker: { ok: boolean } }>(server, null, "GET", "/api/v1/health");
    expect(health.json.data.docker.ok).toBe(false);
    const cookie = await previewCookie(server, alice, project.id, project.slug).catch(() => undefined);
    expect(cookie).toBeUndefined(); // the sign-in URL comes with the (503) state
    // The preview host still answers (404 without a grant, never a hang).
    expect((await previewRequest(server, project.slug, "/")).status).toBe(404);
  }, 120_000);
});
