import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_SECRET, tempDir } from "../helpers/server";

// The first two generated names are the same: two creates running together both find it free, one insert loses.
const generated = vi.hoisted(() => ["twin-otter-42", "twin-otter-42"]);
vi.mock("@/lib/projects/names", async (original) => {
  const real = await original<typeof import("@/lib/projects/names")>();
  return { ...real, randomProjectName: () => generated.shift() ?? real.randomProjectName() };
});

const dir = tempDir("slipway-names-");
process.env.DATABASE_DIR = dir;
process.env.AUTH_SECRET = TEST_SECRET;

const { createProject } = await import("@/lib/projects/service");
const { closeDb, getDb } = await import("@/prisma-free-db/client");

describe("generated project names (real DuckDB file, real template copy and checkpoint)", () => {
  beforeAll(async () => {
    await getDb();
  });
  afterAll(async () => {
    await closeDb();
  });

  it("a create that loses a generated name to a concurrent create picks another instead of answering 409", async () => {
    const ownerId = randomUUID();
    const made = await Promise.all([createProject({ ownerId, template: "static" }), createProject({ ownerId, template: "static" })]);
    const names = made.map((p) => p.name).sort();
    expect(names).toContain("twin-otter-42");
    expect(new Set(names).size).toBe(2);
    expect(generated).toEqual([]);
  }, 60_000);

  it("a name the caller chose is still refused when taken", async () => {
    const ownerId = randomUUID();
    await createProject({ ownerId, template: "static", name: "mine" });
    await expect(createProject({ ownerId, template: "static", name: "mine" })).rejects.toMatchObject({ status: 409 });
  }, 60_000);
});
