import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageForm, makeImage, mimeOf, type ImageFormat } from "../helpers/images";
import { createProject, startProjectsServer, type ApiProject, type Ctx } from "../projects/support";
import { expectError, queryDbFile } from "./support";

const MAX = 4096;

let ctx: Ctx;
let project: ApiProject;
let base: string;
const dataDir = () => path.join(ctx.root, "data");
const storedFiles = (projectId: string) => {
  const dir = path.join(dataDir(), "attachments", projectId);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};
const accepted: string[] = [];
let doomedId = "";

interface Uploaded {
  message: string;
  data: { id: string; mime: string; size: number; width: number; height: number };
  metadata: Record<string, unknown>;
}

beforeAll(async () => {
  ctx = await startProjectsServer({ ATTACHMENT_MAX_BYTES: String(MAX) });
  project = await createProject(ctx.alice, { template: "static" });
  base = `/api/v1/projects/${project.id}/attachments`;
});

afterAll(async () => {
  if (ctx?.server.proc.exitCode === null) await ctx.server.stop();
});

describe("chat image attachments API", () => {
  it.each<[ImageFormat, number, number]>([
    ["png", 3, 2],
    ["jpeg", 5, 4],
    ["webp", 7, 3],
    ["gif", 2, 6],
  ])("stores a %s (%ix%i) outside the project and gives the same bytes back", async (format, width, height) => {
    const bytes = await makeImage(format, width, height);
    const body = await ctx.alice.json<Uploaded>("POST", base, imageForm(bytes, `picture.${format === "jpeg" ? "jpg" : format}`, mimeOf(format)), 201);
    expect(Object.keys(body).sort()).toEqual(["data", "message", "metadata"]);
    expect(body.data).toEqual({ id: expect.any(String), mime: mimeOf(format), size: bytes.length, width, height });
    accepted.push(body.data.id);
    expect(fs.readFileSync(path.join(dataDir(), "attachments", project.id, body.data.id))).toEqual(Buffer.from(bytes));
    expect(fs.readdirSync(path.join(ctx.projectsDir, project.id))).not.toContain("attachments");

    const res = await ctx.alice.call("GET", `${base}/${body.data.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(mimeOf(format));
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(`inline; filename="${body.data.id}.${format === "jpeg" ? "jpg" : format}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("trusts the bytes, not a generic declared type: a png sent as application/octet-stream is a png", async () => {
    const bytes = await makeImage("png");
    const body = await ctx.alice.json<Uploaded>("POST", base, imageForm(bytes, "clipboard", "application/octet-stream"), 201);
    expect(body.data.mime).toBe("image/png");
    accepted.push(body.data.id);
  });

  it("refuses with 415 text named x.png, an image whose declared type or extension lies, and SVG; nothing is stored", async () => {
    const before = storedFiles(project.id).length;
    await expectError(await ctx.alice.call("POST", base, imageForm("just some text, not an image", "x.png", "image/png")), 415, "unsupported_media_type");
    const png = await makeImage("png");
    const declared = await expectError(await ctx.alice.call("POST", base, imageForm(png, "x.png", "image/jpeg")), 415, "unsupported_media_type");
    expect(declared.error.message).toContain("image/jpeg");
    const named = await expectError(await ctx.alice.call("POST", base, imageForm(png, "photo.gif", "")), 415, "unsupported_media_type");
    expect(named.error.message).toContain(".gif");
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><script>alert(1)</script></svg>';
    await expectError(await ctx.alice.call("POST", base, imageForm(svg, "x.svg", "image/svg+xml")), 415, "unsupported_media_type");
    // A png cut short after its signature: the magic number matches, the header does not parse.
    await expectError(await ctx.alice.call("POST", base, imageForm(png.subarray(0, 12), "cut.png", "image/png")), 415, "unsupported_media_type");
    expect(storedFiles(project.id).length).toBe(before);
  });

  it("refuses with 413 an image over ATTACHMENT_MAX_BYTES, and a body far over it before reading it all; nothing is stored", async () => {
    const before = storedFiles(project.id).length;
    const big = await makeImage("png", 64, 64, { noise: true });
    expect(big.length).toBeGreaterThan(MAX);
    const body = await expectError(await ctx.alice.call("POST", base, imageForm(big, "big.png", "image/png")), 413, "payload_too_large");
    expect(body.error.message).toContain("ATTACHMENT_MAX_BYTES");
    const huge = await makeImage("png", 256, 256, { noise: true });
    await expectError(await ctx.alice.call("POST", base, imageForm(huge, "huge.png", "image/png")), 413, "payload_too_large");
    expect(storedFiles(project.id).length).toBe(before);
  });

  it("refuses with 400 a multipart body without a file part, with two files, or with text in `file`; 415 for a body that is not multipart", async () => {
    const png = await makeImage("png");
    const none = new FormData();
    none.append("other", "x");
    const missing = await expectError(await ctx.alice.call("POST", base, none), 400, "bad_request");
    expect(missing.error.fields).toEqual([{ path: "body.file", message: "Required" }]);
    const two = imageForm(png, "a.png", "image/png");
    two.append("file", new Blob([png as Uint8Array<ArrayBuffer>], { type: "image/png" }), "b.png");
    await expectError(await ctx.alice.call("POST", base, two), 400, "bad_request");
    const text = new FormData();
    text.append("file", "not a file");
    await expectError(await ctx.alice.call("POST", base, text), 400, "bad_request");
    await expectError(await ctx.alice.call("POST", base, png, { "content-type": "image/png" }), 415, "unsupported_media_type");
    await expectError(await ctx.alice.call("POST", base, JSON.stringify({ file: "x" }), { "content-type": "application/json" }), 415, "unsupported_media_type");
  });

  it("answers 404 to another user, for their project and for an attachment of another project", async () => {
    const id = accepted[0]!;
    await expectError(await ctx.bob.call("GET", `${base}/${id}`), 404, "not_found");
    await expectError(await ctx.bob.call("POST", base, imageForm(await makeImage("png"), "x.png", "image/png")), 404, "not_found");
    const other = await createProject(ctx.alice, { template: "static" });
    await expectError(await ctx.alice.call("GET", `/api/v1/projects/${other.id}/attachments/${id}`), 404, "not_found");
    const bobs = await createProject(ctx.bob, { template: "static" });
    await expectError(await ctx.alice.call("GET", `/api/v1/projects/${bobs.id}/attachments/${id}`), 404, "not_found");
    await expectError(await ctx.alice.call("GET", `${base}/00000000-0000-4000-8000-000000000000`), 404, "not_found");
    await expectError(await ctx.alice.call("GET", `${base}/not-a-uuid`), 400, "bad_request");
  });

  it("deletes a project's attachments with the project", async () => {
    const doomed = await createProject(ctx.alice, { template: "static" });
    const up = await ctx.alice.json<Uploaded>(
      "POST",
      `/api/v1/projects/${doomed.id}/attachments`,
      imageForm(await makeImage("webp"), "x.webp", "image/webp"),
      201,
    );
    expect(storedFiles(doomed.id)).toEqual([up.data.id]);
    await ctx.alice.json("DELETE", `/api/v1/projects/${doomed.id}`);
    expect(fs.existsSync(path.join(dataDir(), "attachments", doomed.id))).toBe(false);
    doomedId = doomed.id;
  });

  it("keeps exactly one row and one file per accepted upload (the refusals left none)", async () => {
    expect(storedFiles(project.id).sort()).toEqual([...accepted].sort());
    expect(await ctx.server.stop()).toBe(0);
    const rows = await queryDbFile<{ id: string; mime: string }>(
      dataDir(),
      "SELECT id::VARCHAR AS id, mime FROM chat_attachments WHERE project_id = $1::UUID",
      [project.id],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...accepted].sort());
    const gone = await queryDbFile<{ n: number }>(dataDir(), "SELECT count(*)::INTEGER AS n FROM chat_attachments WHERE project_id = $1::UUID", [doomedId]);
    expect(gone).toEqual([{ n: 0 }]);
  });
});
