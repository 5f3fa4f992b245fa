import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiKeyFor, signInLocal } from "../helpers/auth";
import { startServer, tempDir } from "../helpers/server";
import { expectError, json } from "./support";

interface Health {
  status: "ok" | "degraded";
  database: { ok: boolean; latency_ms?: number; error?: string };
  docker: { ok: boolean; version?: string; api_version?: string; error?: string; containers?: Record<string, number> };
  auth: { google: boolean; github: boolean; local: boolean };
  llm: { provider: string; model: string | null; openrouter: boolean; openai: boolean; anthropic: boolean; openai_compatible: boolean; check: ProviderCheck };
}

interface ProviderCheck {
  status: "ok" | "failed" | "checking" | "not_configured";
  provider: string | null;
  checked_at: string | null;
  latency_ms?: number;
  error?: string;
}

/** An OpenAI-compatible model list that accepts one key, counts its calls, and can be made to never answer. */
async function modelList(opts: { key: string; hang?: boolean }) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    if (!req.url?.endsWith("/models")) return void res.writeHead(404).end();
    calls++;
    if (opts.hang) return;
    if (req.headers.authorization !== `Bearer ${opts.key}`) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key provided" } }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "m-1", object: "model" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
        expect(body.data.llm).toEqual({
          provider: "auto",
          model: null,
          openrouter: false,
          openai: false,
          anthropic: false,
          openai_compatible: false,
          check: { status: "not_configured", provider: null, checked_at: null },
        });
        expect(body.data.docker.containers).toEqual(expect.any(Object));
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("checks the default provider's key live, at most once per ten minutes, and reports a refused key with the provider's status", async () => {
    const goodProvider = await modelList({ key: "sk-good-key-1234" });
    const badProvider = await modelList({ key: "sk-good-key-1234" });
    const [good, bad] = await Promise.all([
      startServer({ env: { OPENAI_BASE_URL: goodProvider.baseURL, OPENAI_API_KEY: "sk-good-key-1234" } }),
      startServer({ env: { OPENAI_BASE_URL: badProvider.baseURL, OPENAI_API_KEY: "sk-bad-key-5678" } }),
    ]);
    try {
      // startServer itself polls /health until the server answers: these are not the first checks asked for.
      const first = await health(`${good.url}/api/v1/health`);
      expect(first.body.data.llm.check).toMatchObject({ status: "ok", provider: "openai-compatible", checked_at: expect.any(String) });
      const again = await health(`${good.url}/health`);
      expect(again.body.data.llm.check.checked_at).toBe(first.body.data.llm.check.checked_at);
      expect(goodProvider.calls()).toBe(1);

      const refused = await health(`${bad.url}/api/v1/health`);
      expect(refused.status).toBe(200);
      expect(refused.body.data.llm.check).toMatchObject({ status: "failed", provider: "openai-compatible", error: "the provider answered 401" });
      expect(refused.text).not.toContain("sk-bad-key-5678");
      expect(badProvider.calls()).toBe(1);
    } finally {
      expect(await good.stop()).toBe(0);
      expect(await bad.stop()).toBe(0);
      await goodProvider.close();
      await badProvider.close();
    }
  }, 120_000);

  it("answers while a provider check hangs, with the check still running", async () => {
    const provider = await modelList({ key: "k", hang: true });
    const server = await startServer({ env: { OPENAI_BASE_URL: provider.baseURL, OPENAI_API_KEY: "k" } });
    try {
      const { status, body } = await health(`${server.url}/health`);
      expect(status).toBe(200);
      // Still running (health waits ≤ 2 s for it), or, on a slow start, already given up after its 10 s timeout.
      if (body.data.llm.check.status === "checking")
        expect(body.data.llm.check).toEqual({ status: "checking", provider: "openai-compatible", checked_at: null });
      else expect(body.data.llm.check).toMatchObject({ status: "failed", error: "the provider did not answer in time" });
      expect(provider.calls()).toBe(1);
    } finally {
      expect(await server.stop()).toBe(0);
      await provider.close();
    }
  });

  it("counts this instance's containers by state", async () => {
    const server = await startServer();
    try {
      const auth = await apiKeyFor(server.url, "counter");
      const headers = { authorization: auth.authorization, "content-type": "application/json" };
      const before = (await health(`${server.url}/health`)).body.data.docker.containers ?? {};
      expect(Object.values(before).reduce((a, b) => a + b, 0)).toBe(0);
      const res = await fetch(`${server.url}/api/v1/projects`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "counted", template: "static" }),
      });
      expect(res.status).toBe(201);
      const id = ((await res.json()) as { data: { id: string } }).data.id;
      const started = await fetch(`${server.url}/api/v1/projects/${id}/container/start`, { method: "POST", headers });
      expect(started.status).toBeLessThan(300);
      await expect
        .poll(async () => (await health(`${server.url}/health`)).body.data.docker.containers?.running ?? 0, { timeout: 10_000, interval: 500 })
        .toBe(1);
      await fetch(`${server.url}/api/v1/projects/${id}`, { method: "DELETE", headers });
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
