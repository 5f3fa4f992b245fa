import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../api/support";
import { createProject, startProjectsServer, type ApiProject, type Ctx } from "./support";

let ctx: Ctx;
let project: ApiProject;
let base: string;
let dir: string;

interface Checkpoint {
  id: string;
  short_id: string;
  message: string;
  created_at: string;
  parent: string | null;
}

beforeAll(async () => {
  ctx = await startProjectsServer();
  project = await createProject(ctx.alice, { template: "static" });
  base = `/api/v1/projects/${project.id}`;
  dir = path.join(ctx.projectsDir, project.id);
});

afterAll(async () => {
  await ctx?.server.stop();
});

const write = (p: string, content: string) => ctx.alice.call("PUT", `${base}/files/content?path=${encodeURIComponent(p)}`, { content });
const checkpoint = async (message: string) => (await ctx.alice.json<{ data: Checkpoint }>("POST", `${base}/checkpoints`, { message }, 201)).data;
const history = async () => await ctx.alice.json<{ data: Checkpoint[]; metadata: { total: number } }>("GET", `${base}/history?limit=200`);

describe("checkpoints", () => {
  it("starts with the template checkpoint; the project is versioned outside its own folder", async () => {
    const h = await history();
    expect(h.data).toHaveLength(1);
    expect(h.data[0]).toMatchObject({ message: "Created from template static", parent: null });
    expect(h.data[0]!.id).toMatch(/^[0-9a-f]{40}$/);
    expect(fs.existsSync(path.join(dir, ".git"))).toBe(false);
  });

  it("creates a checkpoint only when something changed", async () => {
    await write("a.txt", "one");
    const c = await checkpoint("first edit");
    expect(c.message).toBe("first edit");
    const none = await ctx.alice.json<{ data: null }>("POST", `${base}/checkpoints`, { message: "nothing" }, 200);
    expect(none.data).toBeNull();
  });

  it("copies only changed files into git's work tree: an unchanged file's copy is not written again", async () => {
    const copyOf = (p: string) => fs.statSync(path.join(ctx.root, "data", "checkpoints", `${project.id}.tree`, p));
    await write("kept.txt", "unchanged from here on");
    await checkpoint("kept");
    // A copy made within the same clock tick as its file's change is not trusted and is made once more.
    await ctx.alice.call("POST", `${base}/checkpoints`, { message: "settle" });
    const before = copyOf("kept.txt");
    await write("other.txt", "a change elsewhere");
    await checkpoint("other");
    const after = copyOf("kept.txt");
    expect({ ino: after.ino, ctimeMs: after.ctimeMs }).toEqual({ ino: before.ino, ctimeMs: before.ctimeMs });
    expect(fs.readFileSync(path.join(ctx.root, "data", "checkpoints", `${project.id}.tree`, "other.txt"), "utf8")).toBe("a change elsewhere");
  });

  it("restore brings old files back as a new checkpoint and never loses a later one", async () => {
    await write("a.txt", "v1");
    const c1 = await checkpoint("v1");
    await write("a.txt", "v2");
    await write("b.txt", "added in v2");
    const c2 = await checkpoint("v2");
    await write("a.txt", "v3");
    fs.writeFileSync(path.join(dir, "unsaved.txt"), "not checkpointed yet");

    const restored = await ctx.alice.json<{ data: { checkpoint: Checkpoint; saved: string | null; restored_from: string } }>("POST", `${base}/restore`, {
      checkpoint: c1.short_id,
    });
    expect(restored.data.restored_from).toBe(c1.id);
    expect(restored.data.saved).toMatch(/^[0-9a-f]{40}$/); // the unsaved edits became their own checkpoint first
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("v1");
    expect(fs.existsSync(path.join(dir, "b.txt"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "unsaved.txt"))).toBe(false);

    const ids = (await history()).data.map((c) => c.id);
    expect(ids[0]).toBe(restored.data.checkpoint.id);
    expect(ids).toEqual(expect.arrayContaining([c1.id, c2.id, restored.data.saved!]));

    // Everything newer is still reachable: restore the unsaved state, then v2.
    await ctx.alice.json("POST", `${base}/restore`, { checkpoint: restored.data.saved! });
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("v3");
    expect(fs.readFileSync(path.join(dir, "unsaved.txt"), "utf8")).toBe("not checkpointed yet");
    await ctx.alice.json("POST", `${base}/restore`, { checkpoint: c2.id });
    expect(fs.readFileSync(path.join(dir, "b.txt"), "utf8")).toBe("added in v2");
    const after = await history();
    expect(after.data.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
    expect(after.metadata.total).toBe(ids.length + 2);
  });

  it("diffs two checkpoints and a checkpoint against the current files (new files included)", async () => {
    const h = (await history()).data;
    const v1 = h.find((c) => c.message === "v1")!;
    const v2 = h.find((c) => c.message === "v2")!;
    const res = await ctx.alice.call("GET", `${base}/diff?from=${v1.id}&to=${v2.id}`);
    expect(res.headers.get("content-type")).toMatch(/^text\/x-diff/);
    const diff = await res.text();
    expect(diff).toContain("--- a/a.txt");
    expect(diff).toContain("-v1");
    expect(diff).toContain("+v2");
    expect(diff).toContain("+++ b/b.txt");

    fs.writeFileSync(path.join(dir, "brand-new.txt"), "fresh\n");
    const live = await (await ctx.alice.call("GET", `${base}/diff?from=${v2.id}`)).text();
    expect(live).toContain("+++ b/brand-new.txt");
    expect(live).toContain("+fresh");
    // The live diff does not stage anything: the next checkpoint still sees the new file as a change.
    expect((await checkpoint("after diff")).message).toBe("after diff");
  });

  it("validates checkpoint ids: never passed to git as options or revision expressions", async () => {
    for (const bad of ["--output=/tmp/pwn", "HEAD~1", "main", "zzzz", "abc", "-p", "a".repeat(65)]) {
      await expectError(await ctx.alice.call("POST", `${base}/restore`, { checkpoint: bad }), 400, "bad_request");
      await expectError(await ctx.alice.call("GET", `${base}/diff?from=${encodeURIComponent(bad)}`), 400, "bad_request");
    }
    await expectError(await ctx.alice.call("POST", `${base}/restore`, { checkpoint: "deadbeefdeadbeef" }), 404, "not_found");
    await expectError(await ctx.alice.call("GET", `${base}/diff`), 400, "bad_request");
    expect(fs.existsSync("/tmp/pwn")).toBe(false);
  });

  it("paginates history newest first", async () => {
    const all = (await history()).data;
    const page = await ctx.alice.json<{ data: Checkpoint[]; metadata: { total: number; has_more: boolean } }>("GET", `${base}/history?limit=2&offset=1`);
    expect(page.data.map((c) => c.id)).toEqual(all.slice(1, 3).map((c) => c.id));
    expect(page.metadata).toMatchObject({ total: all.length, has_more: true });
  });
});

describe("checkpoints after git packs the repository's refs", () => {
  it("reads the newest checkpoint from packed-refs (auto gc packs them) and keeps committing on top of it", async () => {
    await write("packed.txt", "before packing");
    const c1 = await checkpoint("before packing");
    const repo = path.join(ctx.server.dataDir, "checkpoints", `${project.id}.git`);
    execFileSync("git", [`--git-dir=${repo}`, "pack-refs", "--all"]);
    expect(fs.existsSync(path.join(repo, "refs", "heads", "main"))).toBe(false);
    expect((await history()).data[0]!.id).toBe(c1.id);
    await write("packed.txt", "after packing");
    const c2 = await checkpoint("after packing");
    expect(c2.parent).toBe(c1.id);
    expect((await history()).data[0]!.id).toBe(c2.id);
  });
});
