import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findTree, walkTree, type FileEntry } from "@/lib/files/tree";
import { tempDir } from "../helpers/server";

const root = tempDir("slipway-tree-");

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function build() {
  const files = [
    "b.txt",
    "a b.txt",
    "Z.txt",
    "é.txt",
    "line\nbreak.txt",
    "src/z.ts",
    "src/a/deep.ts",
    "src/node_modules/x.js",
    "node_modules/pkg/i.js",
    ".git/HEAD",
    "dist/o.js",
    "x/dist/o.js",
    ".slipway-tmp-abc",
    "dist-not-ignored/f",
    "empty-dir/",
  ];
  for (const f of files) {
    const abs = path.join(root, f);
    if (f.endsWith("/")) fs.mkdirSync(abs, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, f);
    }
  }
  fs.writeFileSync(path.join(root, "src", "dist"), "a file named dist is not ignored");
  fs.symlinkSync("/etc", path.join(root, "link-out"));
  fs.symlinkSync("src", path.join(root, "link-in"));
}

/** The listing functions take an open folder, as the files service holds one. */
function openDir(dir: string) {
  return fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
}

const comparable = (entries: FileEntry[]) => entries.map(({ mtime: _m, ...e }) => e);
const mtimes = (entries: FileEntry[]) => entries.map((e) => Date.parse(e.mtime));

describe("tree listing", () => {
  it("find-based listing equals the JavaScript walker: order, fields, ignored folders, symlinks not followed, special files marked", async () => {
    build();
    execFileSync("mkfifo", [path.join(root, "pipe")]);
    const rootFd = openDir(root);
    const srcFd = openDir(path.join(root, "src"));
    for (const includeIgnored of [false, true]) {
      const viaFind = await findTree(rootFd, "", { includeIgnored, maxEntries: 1000 });
      const viaWalk = await walkTree(rootFd, "", { includeIgnored, maxEntries: 1000 });
      expect(comparable(viaFind.entries)).toEqual(comparable(viaWalk.entries));
      // fs.Stats rounds through a float; find prints nanoseconds: at most 1 ms apart.
      const walked = mtimes(viaWalk.entries);
      mtimes(viaFind.entries).forEach((t, i) => expect(Math.abs(t - walked[i]!)).toBeLessThanOrEqual(1));
    }
    const plain = (await findTree(rootFd, "", { includeIgnored: false, maxEntries: 1000 })).entries;
    const paths = plain.map((e) => e.path);
    expect(paths.slice(0, 6)).toEqual(["dist-not-ignored", "dist-not-ignored/f", "empty-dir", "src", "src/a", "src/a/deep.ts"]);
    expect(paths).toContain("line\nbreak.txt");
    expect(paths.some((p) => p.includes("node_modules") || p.startsWith(".git") || p.includes(".slipway-tmp"))).toBe(false);
    expect(paths).not.toContain("x/dist/o.js");
    expect(plain.find((e) => e.path === "link-out")).toMatchObject({ type: "symlink", size: 0 });
    expect(plain.find((e) => e.path === "pipe")).toMatchObject({ type: "special", size: 0 });
    expect(paths.some((p) => p.startsWith("link-out/") || p.startsWith("link-in/"))).toBe(false);
    const sub = await findTree(srcFd, "src", { includeIgnored: false, maxEntries: 1000 });
    expect(sub.entries.map((e) => e.path)).toEqual(["src/a", "src/a/deep.ts", "src/dist", "src/z.ts"]);
    const capped = await findTree(rootFd, "", { includeIgnored: false, maxEntries: 3 });
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.entries).toHaveLength(3);
    fs.closeSync(rootFd);
    fs.closeSync(srcFd);
  });
});
