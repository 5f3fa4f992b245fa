import fs from "node:fs";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../api/support";
import { createProject, q, sha256, startProjectsServer, type ApiProject, type Ctx } from "./support";

const FILE_MAX = 64 * 1024;
const UPLOAD_MAX = 256 * 1024;

let ctx: Ctx;
let project: ApiProject;
let base: string;
let dir: string;

interface FileBody {
  data: { path: string; content: string; version: string; encoding: string; binary: boolean; size: number };
}

beforeAll(async () => {
  ctx = await startProjectsServer({ FILE_MAX_BYTES: String(FILE_MAX), UPLOAD_MAX_BYTES: String(UPLOAD_MAX) });
  project = await createProject(ctx.alice, { template: "static" });
  base = `/api/v1/projects/${project.id}`;
  dir = path.join(ctx.projectsDir, project.id);
});

afterAll(async () => {
  await ctx?.server.stop();
});

const read = (p: string) => ctx.alice.json<FileBody>("GET", `${base}/files/content?path=${q(p)}`);

describe("files API", () => {
  it("lists the tree depth-first with name, path, type, size and mtime, skipping ignored folders unless asked", async () => {
    fs.mkdirSync(path.join(dir, "node_modules", "pkg"), { recursive: true });
    fs.writeFileSync(path.join(dir, "node_modules", "pkg", "index.js"), "x");
    fs.mkdirSync(path.join(dir, "dist"));
    fs.writeFileSync(path.join(dir, "dist", "out.js"), "x");
    const tree = await ctx.alice.json<{ data: { name: string; path: string; type: string; size: number; mtime: string }[] }>("GET", `${base}/files`);
    const paths = tree.data.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["index.html", "main.js", "styles.css"]));
    expect(paths.some((p) => p.startsWith("node_modules") || p.startsWith("dist"))).toBe(false);
    const index = tree.data.find((e) => e.path === "index.html")!;
    expect(index).toMatchObject({ name: "index.html", type: "file", size: fs.statSync(path.join(dir, "index.html")).size });
    expect(new Date(index.mtime).toISOString()).toBe(index.mtime);
    const all = await ctx.alice.json<{ data: { path: string }[] }>("GET", `${base}/files?include_ignored=true`);
    expect(all.data.map((e) => e.path)).toEqual(expect.arrayContaining(["node_modules/pkg/index.js", "dist/out.js"]));
    const sub = await ctx.alice.json<{ data: { path: string }[] }>("GET", `${base}/files?path=dist&include_ignored=1`);
    expect(sub.data.map((e) => e.path)).toEqual(["dist/out.js"]);
  });

  it("writes (creating parents), reads back with a sha256 version and ETag", async () => {
    const put = await ctx.alice.json<{ data: { version: string; created: boolean; size: number } }>(
      "PUT",
      `${base}/files/content?path=src/deep/a.txt`,
      { content: "héllo" },
      201,
    );
    expect(put.data).toMatchObject({ created: true, size: Buffer.byteLength("héllo"), version: sha256("héllo") });
    expect(fs.readFileSync(path.join(dir, "src/deep/a.txt"), "utf8")).toBe("héllo");
    const res = await ctx.alice.call("GET", `${base}/files/content?path=src/deep/a.txt`);
    expect(res.headers.get("etag")).toBe(`"${sha256("héllo")}"`);
    const body = (await res.json()) as FileBody;
    expect(body.data).toMatchObject({ path: "src/deep/a.txt", content: "héllo", encoding: "utf8", binary: false, version: sha256("héllo") });
    const again = await ctx.alice.json<{ data: { created: boolean } }>("PUT", `${base}/files/content?path=src/deep/a.txt`, { content: "second" }, 200);
    expect(again.data.created).toBe(false);
    expect(fs.readdirSync(path.join(dir, "src/deep"))).toEqual(["a.txt"]); // no temp files left behind
  });

  it("keeps an overwritten file's mode", async () => {
    fs.writeFileSync(path.join(dir, "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
    fs.chmodSync(path.join(dir, "run.sh"), 0o755);
    await ctx.alice.json("PUT", `${base}/files/content?path=run.sh`, { content: "#!/bin/sh\necho hi\n" }, 200);
    expect(fs.statSync(path.join(dir, "run.sh")).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(path.join(dir, "run.sh"), "utf8")).toContain("echo hi");
  });

  it("refuses a stale version with 409 and the current version; If-Match works the same", async () => {
    const v1 = (await ctx.alice.json<{ data: { version: string } }>("PUT", `${base}/files/content?path=occ.txt`, { content: "v1" }, 201)).data.version;
    const v2 = (await ctx.alice.json<{ data: { version: string } }>("PUT", `${base}/files/content?path=occ.txt`, { content: "v2", version: v1 })).data.version;
    const stale = await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=occ.txt`, { content: "clobber", version: v1 }), 409, "conflict");
    expect((stale.error as unknown as { current_version: string }).current_version).toBe(v2);
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=occ.txt`, { content: "clobber" }, { "if-match": `"${v1}"` }), 409, "conflict");
    await ctx.alice.json("PUT", `${base}/files/content?path=occ.txt`, { content: "v3" }, 200, { "if-match": `"${v2}"` });
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=occ.txt`, { content: "x", version: null }), 409, "conflict");
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=occ.txt`, { content: "x" }, { "if-none-match": "*" }), 409, "conflict");
    await expectError(await ctx.alice.call("DELETE", `${base}/files/content?path=occ.txt`, undefined, { "if-match": `"${v1}"` }), 409, "conflict");
    expect(fs.readFileSync(path.join(dir, "occ.txt"), "utf8")).toBe("v3");
  });

  it("lets exactly one of many concurrent writes with the same version win", async () => {
    const v = (await ctx.alice.json<{ data: { version: string } }>("PUT", `${base}/files/content?path=race.txt`, { content: "start" }, 201)).data.version;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ctx.alice.call("PUT", `${base}/files/content?path=race.txt`, { content: `writer ${i}`, version: v })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    const winner = results.findIndex((r) => r.status === 200);
    expect(fs.readFileSync(path.join(dir, "race.txt"), "utf8")).toBe(`writer ${winner}`);
  });

  it("detects binary files and accepts base64 writes", async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]);
    await ctx.alice.json("PUT", `${base}/files/content?path=img/logo.png`, { content: bytes.toString("base64"), encoding: "base64" }, 201);
    expect(fs.readFileSync(path.join(dir, "img/logo.png")).equals(bytes)).toBe(true);
    const body = await read("img/logo.png");
    expect(body.data).toMatchObject({ binary: true, encoding: "base64", content: bytes.toString("base64"), version: sha256(bytes) });
    fs.writeFileSync(path.join(dir, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9])); // invalid UTF-8
    expect((await read("latin1.txt")).data.binary).toBe(true);
  });

  it("answers 413 beyond the size limit for read, write and upload", async () => {
    fs.writeFileSync(path.join(dir, "big.bin"), Buffer.alloc(FILE_MAX + 1, 0x61));
    await expectError(await ctx.alice.call("GET", `${base}/files/content?path=big.bin`), 413, "payload_too_large");
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=new-big.txt`, { content: "a".repeat(FILE_MAX + 1) }), 413, "payload_too_large");
    const form = new FormData();
    form.append("files", new Blob([Buffer.alloc(UPLOAD_MAX + 10)]), "huge.bin");
    await expectError(await ctx.alice.call("POST", `${base}/files/upload`, form), 413, "payload_too_large");
    expect(fs.existsSync(path.join(dir, "new-big.txt"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "huge.bin"))).toBe(false);
  });

  it("bad input: directories, missing files, invalid ids and fields", async () => {
    fs.mkdirSync(path.join(dir, "folder"), { recursive: true });
    const r1 = await expectError(await ctx.alice.call("GET", `${base}/files/content?path=folder`), 400, "bad_request");
    expect(r1.detail).toMatch(/is a directory/);
    const r2 = await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=folder`, { content: "x" }), 400, "bad_request");
    expect(r2.detail).toMatch(/is a directory/);
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=index.html/child.txt`, { content: "x" }), 400, "bad_request");
    await expectError(await ctx.alice.call("GET", `${base}/files/content?path=missing.txt`), 404, "not_found");
    await expectError(await ctx.alice.call("GET", `${base}/files/content`), 400, "bad_request");
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=`, { content: "x" }), 400, "bad_request");
    await expectError(await ctx.alice.call("GET", `/api/v1/projects/not-a-uuid/files`), 400, "bad_request");
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=a.txt`, { content: "x", extra: 1 }), 400, "bad_request");
    await expectError(await ctx.alice.call("PUT", `${base}/files/content?path=a.txt`, { content: "%%%", encoding: "base64" }), 400, "bad_request");
    await expectError(await ctx.alice.call("POST", `${base}/files/mkdir`, { path: "index.html" }), 400, "bad_request");
    await expectError(await ctx.alice.call("POST", `${base}/files/upload`, { files: [] }), 415, "unsupported_media_type");
    await expectError(await ctx.alice.call("POST", `${base}/files/upload`, new FormData()), 400, "bad_request");
  });

  it("deletes files and folders, renames, moves and makes folders", async () => {
    await ctx.alice.json("POST", `${base}/files/mkdir`, { path: "m/n" }, 201);
    expect(fs.statSync(path.join(dir, "m/n")).isDirectory()).toBe(true);
    await ctx.alice.json("POST", `${base}/files/mkdir`, { path: "m/n" }, 200);
    await ctx.alice.json("PUT", `${base}/files/content?path=m/n/f.txt`, { content: "f" }, 201);
    await ctx.alice.json("POST", `${base}/files/move`, { from: "m/n/f.txt", to: "m/g.txt" });
    expect(fs.readFileSync(path.join(dir, "m/g.txt"), "utf8")).toBe("f");
    await ctx.alice.json("POST", `${base}/files/move`, { from: "m", to: "moved/m2" });
    expect(fs.existsSync(path.join(dir, "moved/m2/g.txt"))).toBe(true);
    await expectError(await ctx.alice.call("POST", `${base}/files/move`, { from: "moved", to: "moved/m2/inside" }), 400, "bad_request");
    await ctx.alice.json("PUT", `${base}/files/content?path=other.txt`, { content: "o" }, 201);
    await expectError(await ctx.alice.call("POST", `${base}/files/move`, { from: "other.txt", to: "moved/m2/g.txt" }), 409, "conflict");
    await ctx.alice.json("POST", `${base}/files/move`, { from: "other.txt", to: "moved/m2/g.txt", overwrite: true });
    expect(fs.readFileSync(path.join(dir, "moved/m2/g.txt"), "utf8")).toBe("o");
    await expectError(await ctx.alice.call("POST", `${base}/files/move`, { from: "nope.txt", to: "x.txt" }), 404, "not_found");
    const del = await ctx.alice.json<{ data: { type: string } }>("DELETE", `${base}/files/content?path=moved`);
    expect(del.data.type).toBe("directory");
    expect(fs.existsSync(path.join(dir, "moved"))).toBe(false);
    await expectError(await ctx.alice.call("DELETE", `${base}/files/content?path=moved`), 404, "not_found");
  });

  it("uploads several files into folders", async () => {
    const form = new FormData();
    form.set("dir", "assets");
    form.append("files", new Blob(["one"]), "one.txt");
    form.append("files", new Blob([new Uint8Array([0, 1, 2])]), "nested/two.bin");
    const res = await ctx.alice.json<{ data: { path: string; version: string }[] }>("POST", `${base}/files/upload`, form, 201);
    expect(res.data.map((f) => f.path)).toEqual(["assets/one.txt", "assets/nested/two.bin"]);
    expect(fs.readFileSync(path.join(dir, "assets/nested/two.bin"))).toEqual(Buffer.from([0, 1, 2]));
  });

  it("round-trips the project through download and import into a new project", async () => {
    const res = await ctx.alice.call("GET", `${base}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`${project.slug}.zip`);
    const zip = new Uint8Array(await res.arrayBuffer());
    const entries = unzipSync(zip);
    expect(Object.keys(entries).some((k) => k.startsWith("node_modules") || k.startsWith("dist/"))).toBe(false);
    expect(new TextDecoder().decode(entries["src/deep/a.txt"])).toBe("second");

    const form = new FormData();
    form.set("file", new Blob([zip as Uint8Array<ArrayBuffer>]), "project.zip");
    form.set("name", "imported-copy");
    const created = await ctx.alice.json<{ data: ApiProject & { imported_files: number } }>("POST", "/api/v1/projects/import", form, 201);
    expect(created.data.imported_files).toBe(Object.keys(entries).filter((k) => !k.endsWith("/")).length);
    const copyDir = path.join(ctx.projectsDir, created.data.id);
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.endsWith("/")) continue;
      expect(Buffer.from(fs.readFileSync(path.join(copyDir, name))).equals(Buffer.from(bytes)), name).toBe(true);
    }
    const history = await ctx.alice.json<{ data: { message: string }[] }>("GET", `/api/v1/projects/${created.data.id}/history`);
    expect(history.data[0]!.message).toMatch(/Imported/);
  });

  it("imports into an existing project: merge keeps other files, replace removes them (not node_modules)", async () => {
    const zip = zipSync({ "index.html": new TextEncoder().encode("<h1>zip</h1>"), "new/file.txt": new TextEncoder().encode("new") });
    const send = (mode: string) => {
      const form = new FormData();
      form.set("file", new Blob([zip as Uint8Array<ArrayBuffer>]), "p.zip");
      return ctx.alice.json<{ data: { imported_files: number; checkpoint: string | null } }>("POST", `${base}/import?mode=${mode}`, form);
    };
    const merged = await send("merge");
    expect(merged.data.imported_files).toBe(2);
    expect(merged.data.checkpoint).toMatch(/^[0-9a-f]{40}$/);
    expect(fs.readFileSync(path.join(dir, "index.html"), "utf8")).toBe("<h1>zip</h1>");
    expect(fs.existsSync(path.join(dir, "main.js"))).toBe(true);
    await send("replace");
    expect(fs.readdirSync(dir).sort()).toEqual(["dist", "index.html", "new", "node_modules"].sort());
    // A raw application/zip body works too.
    const raw = await ctx.alice.call("POST", `${base}/import`, zip, { "content-type": "application/zip" });
    expect(raw.status).toBe(200);
    await expectError(
      await ctx.alice.call("POST", `${base}/import`, new TextEncoder().encode("not a zip"), { "content-type": "application/zip" }),
      400,
      "bad_request",
    );
  });
});
