import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { isInside, normalizeFilePath, normalizeRelativePath, resolveInside } from "@/lib/files/paths";
import { tempDir } from "../helpers/server";

const root = tempDir("slipway-paths-");
const project = path.join(root, "projects", "ab");
const sibling = path.join(root, "projects", "abc");
fs.mkdirSync(path.join(project, "sub"), { recursive: true });
fs.mkdirSync(sibling, { recursive: true });
fs.writeFileSync(path.join(project, "sub", "f.txt"), "f");
fs.symlinkSync(sibling, path.join(project, "to-sibling"));
fs.symlinkSync("sub", path.join(project, "to-sub"));

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const status = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (error) {
    return error instanceof ApiError ? error.status : 500;
  }
};

describe("path rules", () => {
  it("normalizes ordinary paths", () => {
    expect(normalizeRelativePath("a/b.txt")).toBe("a/b.txt");
    expect(normalizeRelativePath("./a//b/./c")).toBe("a/b/c");
    expect(normalizeRelativePath("")).toBe("");
    expect(normalizeRelativePath("dir/")).toBe("dir");
    expect(normalizeRelativePath("..a/b..")).toBe("..a/b.."); // dots inside a name are fine
    expect(normalizeRelativePath("e\u0301.txt")).toBe("é.txt"); // NFC, so one name has one spelling
  });

  it.each([["../x"], ["a/../../x"], [".."], ["/etc/passwd"], ["C:/x"], ["a\\b"], ["a\u0000"], ["%2e%2e/x"], ["a%2Fb"], ["~/x"], ["x".repeat(1025)], ["y".repeat(256)]])(
    "refuses %j with 403",
    (p) => {
      expect(status(() => normalizeRelativePath(p))).toBe(403);
    },
  );

  it("requires a path for file operations (400, not 403)", () => {
    expect(status(() => normalizeFilePath(""))).toBe(400);
    expect(status(() => normalizeFilePath("./"))).toBe(400);
  });

  it("decides containment with path.relative, never a string prefix", () => {
    expect(isInside(project, project)).toBe(true);
    expect(isInside(project, path.join(project, "x"))).toBe(true);
    expect(isInside(project, sibling)).toBe(false);
    expect(sibling.startsWith(project)).toBe(true); // what a prefix check would wrongly admit
    expect(isInside(project, path.join(project, "..x"))).toBe(true);
  });

  it("resolves symlinks: inside is followed, outside (even a same-prefix sibling) is refused", () => {
    expect(resolveInside(project, "to-sub/f.txt")).toMatchObject({ abs: path.join(project, "sub", "f.txt"), exists: true });
    expect(resolveInside(project, "to-sub", { followFinal: false })).toMatchObject({ abs: path.join(project, "to-sub"), isLink: true });
    expect(status(() => resolveInside(project, "to-sibling"))).toBe(403);
    expect(status(() => resolveInside(project, "to-sibling/new.txt"))).toBe(403);
    expect(resolveInside(project, "new/deeper/file.txt")).toMatchObject({ exists: false, abs: path.join(project, "new/deeper/file.txt") });
    expect(status(() => resolveInside(project, "sub/f.txt/child"))).toBe(400);
  });
});
