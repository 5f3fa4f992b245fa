import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectEvent } from "@/lib/realtime/project-events";
import { tempDir } from "../helpers/server";

// The files service and the watcher run in this process against a real directory.
const root = tempDir("slipway-events-");
process.env.AUTH_SECRET = "events-test-secret-0123456789-abcdefgh";
process.env.DATABASE_DIR = path.join(root, "data");
process.env.PROJECTS_DIR = path.join(root, "projects");
(await import("@/lib/env")).reloadEnv();

const { subscribeProjectEvents } = await import("@/lib/realtime/project-events");
const files = await import("@/lib/files/service");
const { watchProject } = await import("@/lib/files/watcher");

const projectId = randomUUID();
const dir = path.join(root, "projects", projectId);
let events: ProjectEvent[] = [];
let unsubscribe: () => void;

beforeAll(() => {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  fs.writeFileSync(path.join(dir, "existing.txt"), "x");
  unsubscribe = subscribeProjectEvents(projectId, (e) => events.push(e));
});

afterAll(() => {
  unsubscribe();
  fs.rmSync(root, { recursive: true, force: true });
});

const settle = () => new Promise((r) => setTimeout(r, 600));
const fileEvents = () =>
  events
    .filter((e) => e.type === "file_changed")
    .map((e) => e.type === "file_changed" && { path: e.path, change: e.change, source: e.source, ...(e.from ? { from: e.from } : {}) });

describe("file change notifications", () => {
  it("announces every write made through the service with its source", async () => {
    events = [];
    await files.writeProjectFile(projectId, "a.txt", "1", { source: "agent" });
    await files.writeProjectFile(projectId, "a.txt", "2");
    await files.moveProjectPath(projectId, "a.txt", "b.txt", { source: "agent" });
    await files.makeProjectDir(projectId, "d");
    await files.writeProjectFiles(projectId, [{ path: "d/u.txt", content: new Uint8Array([1]) }]);
    await files.deleteProjectPath(projectId, "b.txt");
    expect(fileEvents()).toEqual([
      { path: "a.txt", change: "created", source: "agent" },
      { path: "a.txt", change: "modified", source: "api" },
      { path: "b.txt", change: "renamed", source: "agent", from: "a.txt" },
      { path: "d", change: "created", source: "api" },
      { path: "d/u.txt", change: "created", source: "api" },
      { path: "b.txt", change: "deleted", source: "api" },
    ]);
  });

  it("reports changes made by other processes (source container), ignoring node_modules, without echoing service writes", async () => {
    const stopA = watchProject(projectId);
    const stopB = watchProject(projectId);
    await settle();
    events = [];
    fs.writeFileSync(path.join(dir, "from-container.txt"), "hi");
    fs.writeFileSync(path.join(dir, "existing.txt"), "changed");
    fs.writeFileSync(path.join(dir, "node_modules", "ignored.js"), "x");
    fs.mkdirSync(path.join(dir, "newdir"));
    fs.writeFileSync(path.join(dir, "newdir", "inner.txt"), "inner");
    await settle();
    fs.rmSync(path.join(dir, "from-container.txt"));
    fs.writeFileSync(path.join(dir, "newdir", "inner.txt"), "inner 2");
    await settle();
    const seen = fileEvents();
    expect(seen).toEqual(
      expect.arrayContaining([
        { path: "from-container.txt", change: "created", source: "container" },
        { path: "existing.txt", change: "modified", source: "container" },
        { path: "newdir", change: "created", source: "container" },
        { path: "newdir/inner.txt", change: "created", source: "container" },
        { path: "from-container.txt", change: "deleted", source: "container" },
        { path: "newdir/inner.txt", change: "modified", source: "container" },
      ]),
    );
    expect(seen.some((e) => e && e.path.startsWith("node_modules"))).toBe(false);

    events = [];
    await files.writeProjectFile(projectId, "via-api.txt", "x");
    await settle();
    expect(fileEvents()).toEqual([{ path: "via-api.txt", change: "created", source: "api" }]);

    stopA();
    events = [];
    fs.writeFileSync(path.join(dir, "still-watched.txt"), "x");
    await settle();
    expect(fileEvents()).toEqual([{ path: "still-watched.txt", change: "created", source: "container" }]);

    stopB();
    events = [];
    fs.writeFileSync(path.join(dir, "unwatched.txt"), "x");
    await settle();
    expect(fileEvents()).toEqual([]);
  });
});
