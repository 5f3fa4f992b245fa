import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHttpServer, type GitHttpServer } from "../fixtures/git-http/server";
import { startGithubFake, type GithubFake } from "../fixtures/github-fake/server";
import { apiKeyFor } from "../helpers/auth";
import { startServer, tempDir, type TestServer } from "../helpers/server";
import { apiFor, createProject, gitAs, readFile, writeFile, type Who } from "./helpers";

const TOKEN = "ghp_aliceToken0123456789abcdefghijklmnop";
const CAROL_TOKEN = "ghp_carolToken0123456789abcdefghijklmno";

let git: GitHttpServer;
let github: GithubFake;
let server: TestServer;
let alice: Who;
let bob: Who;
let carol: Who;
let project: { id: string; slug: string };
let work: string;
const api = apiFor(() => server.url);

/** The project's checkpoint repository (kept outside the project dir, see lib/checkpoints/git.ts). */
const projectGit = (args: string[]) =>
  execFileSync("git", [`--git-dir=${path.join(server.dataDir, "checkpoints", `${project.id}.git`)}`, ...args], { encoding: "utf8" }).trim();

async function cloneFresh(name: string): Promise<string> {
  const dir = path.join(work, name);
  await gitAs(TOKEN, work, ["clone", "--quiet", `${git.url}/alice-gh/site.git`, dir]);
  return dir;
}

beforeAll(async () => {
  work = tempDir("gh-work-");
  git = await startGitHttpServer(tempDir("git-root-"));
  github = await startGithubFake(git);
  github.addUser(TOKEN, "alice-gh");
  github.addUser(CAROL_TOKEN, "carol-gh");
  server = await startServer({ env: { GITHUB_API_URL: github.url } });
  [alice, bob, carol] = await Promise.all([apiKeyFor(server.url, "alice"), apiKeyFor(server.url, "bob"), apiKeyFor(server.url, "carol")]);
  project = await createProject(api, alice, "Ship site");
  expect((await api(alice, "/api/v1/integrations/github", { method: "POST", json: { token: TOKEN } })).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([git?.close(), github?.close()]);
});

describe("GitHub push and pull", () => {
  it("is not linked at first", async () => {
    const res = await api(alice, `/api/v1/projects/${project.id}/github`);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
  });

  it("says to connect GitHub first when it is not connected (409)", async () => {
    const bobs = await createProject(api, bob, "Bob site");
    const res = await api(bob, `/api/v1/projects/${bobs.id}/github`, { method: "POST", json: { name: "bob-site" } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "not_connected", provider: "github" });
    expect(res.body.detail).toContain("POST /api/v1/integrations/github");
  });

  it("another user's project is 404", async () => {
    const res = await api(bob, `/api/v1/projects/${project.id}/github`, { method: "POST", json: { name: "x" } });
    expect(res.status).toBe(404);
    expect((await api(bob, `/api/v1/projects/${project.id}/github/push`, { method: "POST" })).status).toBe(404);
  });

  it("validates the body: name or existing, not both", async () => {
    expect((await api(alice, `/api/v1/projects/${project.id}/github`, { method: "POST", json: {} })).status).toBe(400);
    expect((await api(alice, `/api/v1/projects/${project.id}/github`, { method: "POST", json: { name: "a", existing: "b/c" } })).status).toBe(400);
    expect((await api(alice, `/api/v1/projects/${project.id}/github`, { method: "POST", json: { name: "bad name!" } })).status).toBe(400);
  });

  it("creates the repository and pushes the checkpoints; the clone has the project's exact tree", async () => {
    await writeFile(api, alice, project.id, "about.html", "<p>about</p>\n");
    const before = github.requests.length;
    const gitBefore = git.requests.length;
    const res = await api(alice, `/api/v1/projects/${project.id}/github`, { method: "POST", json: { name: "site" } });
    expect(res.status, res.text).toBe(201);
    const created = github.requests.slice(before);
    expect(created.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /user/repos"]);
    expect(created[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(created[0]!.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(created[0]!.body).toMatchObject({ name: "site", private: true });
    // The token reached the git server as an HTTP header, on every request of the push.
    const pushes = git.requests.slice(gitBefore);
    expect(pushes.some((r) => r.path.endsWith("/git-receive-pack"))).toBe(true);
    for (const r of pushes) expect(Buffer.from(r.authorization!.slice(6), "base64").toString()).toBe(`x-access-token:${TOKEN}`);

    const data = res.body.data as { pushed_sha: string; link: { repo_full_name: string; branch: string; last_pushed_sha: string } };
    expect(data.link).toMatchObject({ repo_full_name: "alice-gh/site", branch: "main", last_pushed_sha: data.pushed_sha });
    // The unsaved about.html was checkpointed before the push.
    expect(projectGit(["rev-parse", "HEAD"])).toBe(data.pushed_sha);

    const clone = await cloneFresh("clone1");
    expect((await gitAs(TOKEN, clone, ["rev-parse", "HEAD"])).trim()).toBe(data.pushed_sha);
    expect((await gitAs(TOKEN, clone, ["rev-parse", "HEAD^{tree}"])).trim()).toBe(projectGit(["rev-parse", "HEAD^{tree}"]));
    expect((await gitAs(TOKEN, clone, ["rev-list", "--count", "HEAD"])).trim()).toBe(projectGit(["rev-list", "--count", "HEAD"]));
    const projectDir = path.join(server.dataDir, "projects", project.id);
    for (const file of ["index.html", "about.html", "styles.css", "main.js"]) {
      expect(fs.readFileSync(path.join(clone, file), "utf8"), file).toBe(fs.readFileSync(path.join(projectDir, file), "utf8"));
    }
  });

  it("never writes the token into the repository config or the logs", () => {
    const config = fs.readFileSync(path.join(server.dataDir, "checkpoints", `${project.id}.git`, "config"), "utf8");
    expect(config).not.toContain(TOKEN);
    expect(config).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString("base64"));
    expect(server.output()).not.toContain(TOKEN);
  });

  it("shows the link status", async () => {
    const res = await api(alice, `/api/v1/projects/${project.id}/github`);
    expect(res.body.data).toMatchObject({ repo_full_name: "alice-gh/site", html_url: "https://github.com/alice-gh/site", ahead: false, private: true });
  });

  it("a second push sends only the new commits (fast-forward) and an unchanged project is up to date", async () => {
    const first = (await gitAs(TOKEN, path.join(work, "clone1"), ["rev-parse", "HEAD"])).trim();
    await writeFile(api, alice, project.id, "index.html", "<h1>Second version</h1>\n");
    const res = await api(alice, `/api/v1/projects/${project.id}/github/push`, { method: "POST" });
    expect(res.status, res.text).toBe(200);
    const data = res.body.data as { pushed_sha: string; up_to_date: boolean };
    expect(data.up_to_date).toBe(false);
    const clone = path.join(work, "clone1");
    await gitAs(TOKEN, clone, ["pull", "--quiet", "--ff-only"]);
    expect((await gitAs(TOKEN, clone, ["rev-parse", "HEAD"])).trim()).toBe(data.pushed_sha);
    expect((await gitAs(TOKEN, clone, ["rev-parse", "HEAD~1"])).trim()).toBe(first);
    expect(fs.readFileSync(path.join(clone, "index.html"), "utf8")).toBe("<h1>Second version</h1>\n");

    const again = await api(alice, `/api/v1/projects/${project.id}/github/push`, { method: "POST" });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ up_to_date: true, pushed_sha: data.pushed_sha });
  });

  it("pull brings GitHub's commits in as one new checkpoint, and the next push is a fast-forward", async () => {
    const clone = path.join(work, "clone1");
    fs.writeFileSync(path.join(clone, "from-github.txt"), "written on GitHub\n");
    fs.writeFileSync(path.join(clone, "styles.css"), "body { color: red; }\n");
    await gitAs(TOKEN, clone, ["add", "-A"]);
    await gitAs(TOKEN, clone, ["commit", "--quiet", "-m", "Edit on GitHub"]);
    await gitAs(TOKEN, clone, ["push", "--quiet", "origin", "HEAD:main"]);
    const remoteHead = (await gitAs(TOKEN, clone, ["rev-parse", "HEAD"])).trim();
    const checkpointsBefore = Number(projectGit(["rev-list", "--count", "HEAD"]));

    const res = await api(alice, `/api/v1/projects/${project.id}/github/pull`, { method: "POST" });
    expect(res.status, res.text).toBe(200);
    const data = res.body.data as { checkpoint_sha: string; up_to_date: boolean; changed_files: string[] };
    expect(data.up_to_date).toBe(false);
    expect(data.changed_files.sort()).toEqual(["from-github.txt", "styles.css"]);
    expect(await readFile(api, alice, project.id, "from-github.txt")).toBe("written on GitHub\n");
    expect(await readFile(api, alice, project.id, "styles.css")).toBe("body { color: red; }\n");
    // One new checkpoint on top of the old one, with GitHub's head as its second parent.
    expect(projectGit(["rev-parse", "HEAD"])).toBe(data.checkpoint_sha);
    expect(projectGit(["rev-parse", "HEAD^2"])).toBe(remoteHead);
    const history = await api(alice, `/api/v1/projects/${project.id}/history?limit=1`);
    expect(JSON.stringify(history.body.data)).toContain("Pull from GitHub alice-gh/site");
    expect(Number(projectGit(["rev-list", "--first-parent", "--count", "HEAD"]))).toBe(checkpointsBefore + 1);

    const again = await api(alice, `/api/v1/projects/${project.id}/github/pull`, { method: "POST" });
    expect(again.body.data).toMatchObject({ up_to_date: true, checkpoint_sha: null });

    const push = await api(alice, `/api/v1/projects/${project.id}/github/push`, { method: "POST" });
    expect(push.status, push.text).toBe(200);
    await gitAs(TOKEN, clone, ["pull", "--quiet", "--ff-only"]);
    expect((await gitAs(TOKEN, clone, ["rev-parse", "HEAD"])).trim()).toBe(data.checkpoint_sha);
  });

  it("a rejected (non-fast-forward) push is 409 saying to pull first; pull merges and the push then succeeds", async () => {
    const clone = path.join(work, "clone1");
    fs.writeFileSync(path.join(clone, "remote-only.txt"), "remote\n");
    await gitAs(TOKEN, clone, ["add", "-A"]);
    await gitAs(TOKEN, clone, ["commit", "--quiet", "-m", "Remote change"]);
    await gitAs(TOKEN, clone, ["push", "--quiet", "origin", "HEAD:main"]);
    await writeFile(api, alice, project.id, "local-only.txt", "local\n");

    const res = await api(alice, `/api/v1/projects/${project.id}/github/push`, { method: "POST" });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "non_fast_forward" });
    expect(res.body.detail).toMatch(/Pull first \(POST \/api\/v1\/projects\/\{project_id\}\/github\/pull\)/);

    const pull = await api(alice, `/api/v1/projects/${project.id}/github/pull`, { method: "POST" });
    expect(pull.status, pull.text).toBe(200);
    expect(await readFile(api, alice, project.id, "remote-only.txt")).toBe("remote\n");
    expect(await readFile(api, alice, project.id, "local-only.txt")).toBe("local\n");
    const push = await api(alice, `/api/v1/projects/${project.id}/github/push`, { method: "POST" });
    expect(push.status, push.text).toBe(200);
  });

  it("conflicting changes on both sides are a 409 naming the files, and nothing changes", async () => {
    const clone = path.join(work, "clone1");
    await gitAs(TOKEN, clone, ["pull", "--quiet", "--ff-only"]);
    fs.writeFileSync(path.join(clone, "index.html"), "<h1>GitHub's title</h1>\n");
    await gitAs(TOKEN, clone, ["commit", "--quiet", "-am", "Conflicting edit"]);
    await gitAs(TOKEN, clone, ["push", "--quiet", "origin", "HEAD:main"]);
    await writeFile(api, alice, project.id, "index.html", "<h1>Slipway's title</h1>\n");
    const res = await api(alice, `/api/v1/projects/${project.id}/github/pull`, { method: "POST" });
    expect(res.status, res.text).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "merge_conflict", files: ["index.html"] });
    expect(await readFile(api, alice, project.id, "index.html")).toBe("<h1>Slipway's title</h1>\n");
  });

  it("a taken repository name is 409 with a clear message", async () => {
    const other = await createProject(api, alice, "Second site");
    const res = await api(alice, `/api/v1/projects/${other.id}/github`, { method: "POST", json: { name: "site" } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ reason: "repo_name_taken" });
    expect(res.body.detail).toBe('A repository named "site" already exists on your GitHub account. Pick another name or link it with "existing".');
  });

  it("linking an existing repository: missing is 404, read-only is 403, writable links and pushes (rejected until pulled)", async () => {
    const other = await createProject(api, alice, "Third site");
    const missing = await api(alice, `/api/v1/projects/${other.id}/github`, { method: "POST", json: { existing: "alice-gh/nope" } });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("GitHub repository alice-gh/nope not found, or this token cannot see it");

    git.createBareRepo("carol-gh/shared.git");
    const readOnly = await api(alice, `/api/v1/projects/${other.id}/github`, { method: "POST", json: { existing: "carol-gh/shared" } });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.detail).toContain("cannot push to carol-gh/shared");

    // The existing repository has unrelated history: the push is refused until a pull merges it.
    const linked = await api(alice, `/api/v1/projects/${other.id}/github`, { method: "POST", json: { existing: "alice-gh/site" } });
    expect(linked.status).toBe(409);
    expect(linked.body.error).toMatchObject({ reason: "non_fast_forward" });
    const status = await api(alice, `/api/v1/projects/${other.id}/github`);
    expect(status.body.data).toMatchObject({ repo_full_name: "alice-gh/site", last_pushed_sha: null });
  });

  it("GitHub's rate limit is a 429", async () => {
    const other = await createProject(api, alice, "Rate limited site");
    github.rateLimited = true;
    try {
      const res = await api(alice, `/api/v1/projects/${other.id}/github`, { method: "POST", json: { name: "rl" } });
      expect(res.status).toBe(429);
      expect(res.body.detail).toMatch(/^GitHub rate limit reached; try again after \d{4}-/);
    } finally {
      github.rateLimited = false;
    }
  });

  it("a revoked token is a reconnect error (409), from git's 401 and from the REST API, until reconnected", async () => {
    const carolProject = await createProject(api, carol, "Carol site");
    expect((await api(carol, "/api/v1/integrations/github", { method: "POST", json: { token: CAROL_TOKEN } })).status).toBe(200);
    expect((await api(carol, `/api/v1/projects/${carolProject.id}/github`, { method: "POST", json: { name: "carol-site" } })).status).toBe(201);
    github.revoke(CAROL_TOKEN);
    await writeFile(api, carol, carolProject.id, "new.txt", "x\n");

    const push = await api(carol, `/api/v1/projects/${carolProject.id}/github/push`, { method: "POST" });
    expect(push.status, push.text).toBe(409);
    expect(push.body.error).toMatchObject({ reason: "reconnect_required", provider: "github" });
    expect(push.body.detail).toBe(
      "GitHub rejected the stored token (revoked or expired). Reconnect GitHub: POST /api/v1/integrations/github with a new token.",
    );
    const list = await api(carol, "/api/v1/integrations");
    expect(list.body.data).toMatchObject([{ provider: "github", status: "reconnect_required" }]);

    // Known revoked: refused without calling GitHub.
    const before = github.requests.length;
    const second = await api(carol, `/api/v1/projects/${carolProject.id}/github`, { method: "POST", json: { name: "carol-2" } });
    expect(second.status).toBe(409);
    expect(github.requests.length).toBe(before);

    // The REST path detects revocation too (fresh connection, then revoked).
    github.addUser(CAROL_TOKEN, "carol-gh");
    expect((await api(carol, "/api/v1/integrations/github", { method: "POST", json: { token: CAROL_TOKEN } })).status).toBe(200);
    github.revoke(CAROL_TOKEN);
    const rest = await api(carol, `/api/v1/projects/${carolProject.id}/github`, { method: "POST", json: { name: "carol-3" } });
    expect(rest.status).toBe(409);
    expect(rest.body.error).toMatchObject({ reason: "reconnect_required" });

    // Reconnecting with a working token makes pushes work again.
    github.addUser(CAROL_TOKEN, "carol-gh");
    expect((await api(carol, "/api/v1/integrations/github", { method: "POST", json: { token: CAROL_TOKEN } })).status).toBe(200);
    const ok = await api(carol, `/api/v1/projects/${carolProject.id}/github/push`, { method: "POST" });
    expect(ok.status, ok.text).toBe(200);
    expect(server.output()).not.toContain(CAROL_TOKEN);
  });
});
