import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signInLocal } from "../helpers/auth";
import { startServer, tempDir } from "../helpers/server";
import { expectError, json } from "./support";

interface Health {
  status: "ok" | "degraded";
  database: { ok: boolean; latency_ms?: number; error?: string };
  docker: { ok: boolean; version?: string; api_version?: string; error?: string };
  auth: { google: boolean; github: boolean; local: boolean };
  llm: { provider: string; model: string | null; openrouter: boolean; openai: boolean; anthropic: boolean; openai_compatible: boolean };
}

async function health(url: string): Promise<{ status: number; text: string; body: { message: string; data: Health } }> {
  const res = await fetch(url);
  const text = await res.text();
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: res.status, text, body: JSON.parse(text) };
}

describe("health", () => {
  it("reports a real database query and the running Docker engine's version on /health and /api/v1/health", async () => {
    const server = await startServer();
    try {
      for (const p of ["/health", "/api/v1/health"]) {
        const { status, body } = await health(`${server.url}${p}`);
        expect(status).toBe(200);
        expect(body.message).toBe("Healthy");
        expect(body.data.status).toBe("ok");
        expect(body.data.database.ok).toBe(true);
        expect(body.data.database.latency_ms).toBeGreaterThan(0);
        expect(body.data.docker).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+/), api_version: expect.stringMatching(/^1\.\d+$/) });
        expect(body.data.auth).toEqual({ google: false, github: false, local: true });
        expect(body.data.llm).toEqual({ provider: "auto", model: null, openrouter: false, openai: false, anthropic: false, openai_compatible: false });
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("says why Docker is not reachable, reports configured providers as booleans and never their secrets", async () => {
    const secrets = {
      GOOGLE_CLIENT_SECRET: "google-secret-value-123",
      GITHUB_CLIENT_SECRET: "github-secret-value-456",
      OPENAI_API_KEY: "sk-openai-secret-789",
      ANTHROPIC_API_KEY: "sk-ant-secret-000",
    };
    const server = await startServer({
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock", GOOGLE_CLIENT_ID: "gid", GITHUB_CLIENT_ID: "ghid", MODEL_NAME: "gpt-test", ...secrets },
    });
    try {
      const { status, text, body } = await health(`${server.url}/api/v1/health`);
      expect(status).toBe(200); // the database answers: degraded, not down
      expect(body.data.status).toBe("degraded");
      expect(body.data.database.ok).toBe(true);
      expect(body.data.docker.ok).toBe(false);
      expect(body.data.docker.error).toMatch(/not reachable/);
      expect(body.data.auth).toEqual({ google: true, github: true, local: true });
      expect(body.data.llm).toMatchObject({ model: "gpt-test", openai: true, anthropic: true, openrouter: false });
      for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  // A full disk is the real way a running DuckDB stops working: writes fail, the health check says so (503),
  // and both recover once there is space again. Needs root to mount a small tmpfs.
  it.skipIf(process.getuid?.() !== 0)("answers 503 while the disk under DATABASE_DIR is full, and recovers", async () => {
    const mountPoint = tempDir("slipway-fulldisk-");
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint]);
    const filler = path.join(mountPoint, "filler");
    try {
      const server = await startServer({ dataDir: path.join(mountPoint, "data") });
      try {
        const jar = await signInLocal(server.url, "fay");
        const create = () => jar.fetch(`${server.url}/api/v1/api-keys`, { method: "POST", ...json({ name: "k" }) });
        expect((await create()).status).toBe(201);

        const fd = fs.openSync(filler, "w");
        try {
          const chunk = Buffer.alloc(16 * 1024, 1);
          for (;;) fs.writeSync(fd, chunk);
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
        } finally {
          fs.closeSync(fd);
        }

        // Writes fail with a clear 503; reads still answer, but the health check is 503 with the reason.
        let refused: Response | undefined;
        for (let i = 0; i < 20 && !refused; i++) {
          const res = await create();
          if (res.status !== 201) refused = res;
        }
        const err = await expectError(refused!, 503, "unavailable");
        expect(err.detail).toMatch(/no space left on device/);
        expect(err.detail).not.toContain(mountPoint);
        for (const p of ["/health", "/api/v1/health"]) {
          const { status, text, body } = await health(`${server.url}${p}`);
          expect(status).toBe(503);
          expect(body.data.database).toMatchObject({ ok: false, error: "writes are failing: no space left on device" });
          expect(text).not.toContain(mountPoint);
        }
        expect((await jar.fetch(`${server.url}/api/v1/api-keys`)).status).toBe(200);

        fs.rmSync(filler);
        expect((await create()).status).toBe(201);
        expect((await health(`${server.url}/health`)).status).toBe(200);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    } finally {
      fs.rmSync(filler, { force: true });
      execFileSync("umount", [mountPoint]);
    }
  });
});
