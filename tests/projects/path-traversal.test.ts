import fs from "node:fs";
import path from "node:path";
import { zipSync, type Zippable } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, q, snapshot, startProjectsServer, type ApiProject, type Ctx } from "./support";

/**
 * A corpus of hostile paths against every file operation. The canaries sit where an escape would
 * land: a file next to PROJECTS_DIR, a sibling directory whose name starts with the project id
 * (string-prefix containment would admit it), another user's project, and directories reached
 * through symlinks planted inside the project (out, loop, dangling). After the corpus, the whole
 * file system under the test root must be byte-for-byte what it was.
 */

const CANARY = `CANARY-${Math.random().toString(36).slice(2)}`;

let ctx: Ctx;
let project: ApiProject;
let other: ApiProject;
let dir: string;

function corpus(id: string, otherId: string, root: string): string[] {
  const targets = ["secret.txt", `${id}abc/canary.txt`, `${otherId}/index.html`, "outside/canary.txt", "projects/" + `${id}abc/canary.txt`];
  const prefixes = ["../", "../../", "./../", "sub/../../", "sub/../../../", "a/b/../../../", "..//", ".././", "../../../../../../../../"];
  const list: string[] = [];
  for (const p of prefixes) for (const t of targets) list.push(p + t);
  list.push(
    // absolute and rooted
    path.join(root, "secret.txt"),
    path.join(root, "outside", "canary.txt"),
    path.join(root, "projects", `${id}abc`, "canary.txt"),
    "/etc/passwd",
    "/",
    "//etc/passwd",
    "/tmp/slipway-evil.txt",
    "~/secret.txt",
    "~root/.profile",
    // encodings left after the URL layer decoded once (double encoding)
    "%2e%2e/secret.txt",
    "%2E%2E%2Fsecret.txt",
    "..%2fsecret.txt",
    "..%5csecret.txt",
    "%2e%2e%5c%2e%2e%5csecret.txt",
    "sub/%2e%2e/%2e%2e/secret.txt",
    "%2e./secret.txt",
    ".%2e/secret.txt",
    "%00",
    "a%00b",
    // backslashes and drive letters
    "..\\secret.txt",
    "..\\..\\secret.txt",
    "sub\\..\\..\\secret.txt",
    "\\etc\\passwd",
    "\\\\server\\share\\x",
    "C:\\Windows\\win.ini",
    "C:/Windows/win.ini",
    "c:secret.txt",
    // NUL and control characters
    "secret.txt\u0000",
    "../secret.txt\u0000.png",
    "a\u0000/../../secret.txt",
    "\u0000",
    "a\nb.txt",
    "a\rb.txt",
    "\u001b[31m.txt",
    // dots
    "..",
    "...",
    "....",
    "../",
    "sub/..",
    "sub/../..",
    " ../secret.txt",
    ".. /secret.txt",
    // over-long
    "a".repeat(1025),
    `${"d/".repeat(520)}f`,
    "s".repeat(256),
    "é".repeat(128),
    `ok/${"x".repeat(300)}/f.txt`,
    // symlinks planted inside the project
    "link-out",
    "link-out/canary.txt",
    "link-out/new.txt",
    "link-out/deeper/new.txt",
    "link-out-rel/canary.txt",
    "link-file-out",
    "link-sibling/canary.txt",
    "link-sibling/new.txt",
    "link-parent/secret.txt",
    `link-parent/${id}abc/canary.txt`,
    "link-parent/new.txt",
    "link-bob/index.html",
    "link-bob/new.txt",
    "loop-a",
    "loop-a/x.txt",
    "self-loop",
    "self-loop/x",
    "dangling",
    "dangling/x",
    "dangling-rel",
    "dangling-rel/x",
    "sub/deep-out/canary.txt",
    "sub/deep-out",
    "sub/deep-out/new.txt",
    "link-inside/../../secret.txt",
  );
  return list;
}

// Unusual but harmless names: they must stay inside the project (they may be created there).
const containedNames = [
  "\u2025/lookalike.txt",
  "\uff0e\uff0e/fullwidth.txt",
  "%c0%ae%c0%ae/overlong.txt",
  "%252e%252e/double.txt",
  ".\u200b./zero-width.txt",
  "...txt",
];

beforeAll(async () => {
  ctx = await startProjectsServer();
  project = await createProject(ctx.alice);
  other = await createProject(ctx.bob);
  dir = path.join(ctx.projectsDir, project.id);
  fs.writeFileSync(path.join(ctx.root, "secret.txt"), CANARY);
  fs.mkdirSync(path.join(ctx.root, "outside"));
  fs.writeFileSync(path.join(ctx.root, "outside", "canary.txt"), CANARY);
  fs.mkdirSync(path.join(ctx.projectsDir, `${project.id}abc`));
  fs.writeFileSync(path.join(ctx.projectsDir, `${project.id}abc`, "canary.txt"), CANARY);
  fs.writeFileSync(path.join(ctx.projectsDir, other.id, "index.html"), CANARY);
  fs.writeFileSync(path.join(dir, "victim.txt"), "victim");
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub", "inner.txt"), "inner");
  const links: [string, string][] = [
    ["link-out", path.join(ctx.root, "outside")],
    ["link-out-rel", "../../outside"],
    ["link-file-out", path.join(ctx.root, "secret.txt")],
    ["link-sibling", `../${project.id}abc`],
    ["link-parent", ".."],
    ["link-bob", `../${other.id}`],
    ["loop-a", "loop-b"],
    ["loop-b", "loop-a"],
    ["self-loop", "self-loop"],
    ["dangling", path.join(ctx.root, "nowhere", "ghost.txt")],
    ["dangling-rel", "../../nowhere"],
    ["sub/deep-out", "../../../outside"],
    ["link-inside", "sub"],
  ];
  for (const [name, target] of links) fs.symlinkSync(target, path.join(dir, name));
});

afterAll(async () => {
  await ctx?.server.stop();
});

type Op = { name: string; run: (p: string) => Promise<Response> };

function ops(): Op[] {
  const base = `/api/v1/projects/${project.id}`;
  const c = ctx.alice;
  return [
    { name: "read", run: (p) => c.call("GET", `${base}/files/content?path=${q(p)}`) },
    { name: "tree", run: (p) => c.call("GET", `${base}/files?path=${q(p)}`) },
    { name: "write", run: (p) => c.call("PUT", `${base}/files/content?path=${q(p)}`, { content: "pwned" }) },
    { name: "delete", run: (p) => c.call("DELETE", `${base}/files/content?path=${q(p)}`) },
    { name: "mkdir", run: (p) => c.call("POST", `${base}/files/mkdir`, { path: p }) },
    { name: "rename-from", run: (p) => c.call("POST", `${base}/files/move`, { from: p, to: "moved.txt" }) },
    { name: "rename-to", run: (p) => c.call("POST", `${base}/files/move`, { from: "victim.txt", to: p }) },
    {
      name: "upload",
      run: (p) => {
        const form = new FormData();
        form.append("files", new Blob(["ok"]), "harmless.txt");
        form.append("files", new Blob(["pwned"]), p);
        return c.call("POST", `${base}/files/upload`, form);
      },
    },
    {
      name: "upload-dir",
      run: (p) => {
        const form = new FormData();
        form.set("dir", p);
        form.append("files", new Blob(["pwned"]), "new.txt");
        return c.call("POST", `${base}/files/upload`, form);
      },
    },
    {
      name: "zip-import",
      run: (p) => {
        const zip = zipSync({ "harmless.txt": new TextEncoder().encode("ok"), [p]: new TextEncoder().encode("pwned") });
        const form = new FormData();
        form.set("file", new Blob([zip as Uint8Array<ArrayBuffer>]), "evil.zip");
        return c.call("POST", `${base}/import`, form);
      },
    },
  ];
}

describe("path traversal corpus", () => {
  it("refuses every hostile path for every operation with 403, and nothing on disk changes", async () => {
    const paths = corpus(project.id, other.id, ctx.root);
    const before = snapshot(ctx.root, (abs) => abs.startsWith(ctx.server.dataDir));
    const failures: string[] = [];
    let cases = 0;
    for (const op of ops()) {
      for (const p of paths) {
        // upload-dir joins `dir/new.txt`: a path that is only over-long as a file name is fine as a folder.
        const res = await op.run(p);
        const text = await res.text();
        cases++;
        if (text.includes(CANARY)) failures.push(`${op.name} ${JSON.stringify(p)}: response contains the canary`);
        if (res.status !== 403) failures.push(`${op.name} ${JSON.stringify(p)}: ${res.status} ${text.slice(0, 160)}`);
        else if (!/"Access denied"/.test(text)) failures.push(`${op.name} ${JSON.stringify(p)}: 403 without "Access denied"`);
      }
    }
    const after = snapshot(ctx.root, (abs) => abs.startsWith(ctx.server.dataDir));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    expect(cases).toBeGreaterThanOrEqual(200);
    expect(failures).toEqual([]);
    expect(changed).toEqual([]);
    expect(fs.readFileSync(path.join(ctx.root, "secret.txt"), "utf8")).toBe(CANARY);
    expect(fs.existsSync(path.join(dir, "harmless.txt"))).toBe(false); // refused batches write nothing
  }, 300_000);

  it("refuses zip entries that are symlinks or special files, writing nothing", async () => {
    const before = snapshot(ctx.root, (abs) => abs.startsWith(ctx.server.dataDir));
    const enc = (s: string) => new TextEncoder().encode(s);
    const link = (target: string) => [enc(target), { os: 3, attrs: (0o120777 << 16) >>> 0 }] as [Uint8Array, { os: number; attrs: number }];
    const archives: Zippable[] = [
      { "ok.txt": enc("ok"), "evil-link": link(path.join(ctx.root, "secret.txt")) },
      { "ok.txt": enc("ok"), "rel-link": link("../../secret.txt") },
      { "ok.txt": enc("ok"), "inside-link": link("ok.txt") },
      { "ok.txt": enc("ok"), fifo: [enc(""), { os: 3, attrs: (0o010644 << 16) >>> 0 }] as [Uint8Array, { os: number; attrs: number }] },
      { "ok.txt": enc("ok"), "dir/": [new Uint8Array(0), { os: 3, attrs: (0o120755 << 16) >>> 0 }] as [Uint8Array, { os: number; attrs: number }] },
    ];
    for (const files of archives) {
      const form = new FormData();
      form.set("file", new Blob([zipSync(files) as Uint8Array<ArrayBuffer>]), "links.zip");
      const res = await ctx.alice.call("POST", `/api/v1/projects/${project.id}/import`, form);
      expect(res.status, await res.text()).toBe(403);
    }
    const after = snapshot(ctx.root, (abs) => abs.startsWith(ctx.server.dataDir));
    expect([...after].filter(([k, v]) => before.get(k) !== v)).toEqual([]);
    expect(after.size).toBe(before.size);
  });

  it("keeps unusual but harmless names inside the project", async () => {
    const outside = () => snapshot(ctx.root, (abs) => abs.startsWith(ctx.server.dataDir) || abs.startsWith(dir + path.sep));
    const before = outside();
    for (const name of containedNames) {
      const res = await ctx.alice.call("PUT", `/api/v1/projects/${project.id}/files/content?path=${q(name)}`, { content: "fine" });
      expect(res.status, `${name}: ${await res.text()}`).toBe(201);
      const read = await ctx.alice.json<{ data: { content: string } }>("GET", `/api/v1/projects/${project.id}/files/content?path=${q(name)}`);
      expect(read.data.content).toBe("fine");
      expect(fs.readFileSync(path.join(dir, name.normalize("NFC")), "utf8")).toBe("fine");
    }
    expect(outside()).toEqual(before);
  });

  it("follows a symlink that stays inside the project", async () => {
    const res = await ctx.alice.json<{ data: { content: string } }>("GET", `/api/v1/projects/${project.id}/files/content?path=${q("link-inside/inner.txt")}`);
    expect(res.data.content).toBe("inner");
  });
});
