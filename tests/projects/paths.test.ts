import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { withAnchor } from "@/lib/files/anchored-fs";
import { normalizeFilePath, normalizeRelativePath } from "@/lib/files/paths";
import { tempDir } from "../helpers/server";

const root = tempDir("slipway-paths-");
const project = path.join(root, "projects", "ab");
const sibling = path.join(root, "projects", "abc");
fs.mkdirSync(path.join(project, "sub"), { recursive: true });
fs.mkdirSync(sibling, { recursive: true });
fs.writeFileSync(path.join(project, "sub", "f.txt"), "f");
fs.symlinkSync(sibling, path.join(project, "to-sibling"));
fs.symlinkSync("sub", path.join(project, "to-sub"));
fs.symlinkSync("/app/sub", path.join(project, "app-sub"));
fs.symlinkSync("/etc", path.join(project, "to-etc"));
fs.symlinkSync("..", path.join(project, "up"));

const statusOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (error) {
    return error instanceof ApiError ? error.status : 500;
  }
};

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

  it.each([
    ["../x"],
    ["a/../../x"],
    [".."],
    ["/etc/passwd"],
    ["C:/x"],
    ["a\\b"],
    ["a\u0000"],
    ["%2e%2e/x"],
    ["a%2Fb"],
    ["~/x"],
    ["x".repeat(1025)],
    ["y".repeat(256)],
  ])("refuses %j with 403", (p) => {
    expect(status(() => normalizeRelativePath(p))).toBe(403);
  });

  it("requires a path for file operations (400, not 403)", () => {
    expect(status(() => normalizeFilePath(""))).toBe(400);
    expect(status(() => normalizeFilePath("./"))).toBe(400);
  });

  it("walks links in user space: inside is followed (relative or under /app), outside (even a same-prefix sibling) is refused", async () => {
    const relOf = async (rel: string, followFinal = true) => withAnchor(project, rel, { followFinal }, async (a) => a.rel);
    expect(await relOf("to-sub/f.txt")).toBe("sub/f.txt");
    expect(await relOf("app-sub/f.txt")).toBe("sub/f.txt");
    expect(await relOf("to-sub", false)).toBe("to-sub");
    expect(await statusOf(relOf("to-sibling"))).toBe(403);
    expect(await statusOf(relOf("to-sibling/new.txt"))).toBe(403);
    expect(await statusOf(relOf("to-etc/passwd"))).toBe(403);
    expect(await statusOf(relOf("up/x"))).toBe(403);
    expect(await statusOf(relOf("new/deeper/file.txt"))).toBe(404);
    expect(await statusOf(relOf("sub/f.txt/child"))).toBe(400);
  });
});
