import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../helpers/auth";
import { startServer, tempDir, type TestServer } from "../helpers/server";
import { api, createProject, removeInstanceContainers, requireEngine, type Auth } from "../containers/support";

/**
 * Attacks from inside a project's container on the host-side file layer: the container renames a symlink
 * over a file or folder in a tight loop while the server reads, exports, writes and deletes. Victims live
 * in a folder this test creates; the server's environment carries a canary that must never come back.
 */

const CANARY = `canary-${Math.random().toString(36).slice(2)}`;
const RACE_MS = 8_000;
let server: TestServer;
let auth: Auth;
let projectId: string;
let victimDir: string;
let projectDir: string;

const swapLoop = (name: string, linkTarget: string, kind: "file" | "dir") => `
const fs = require("fs");
const end = Date.now() + ${RACE_MS + 1500};
let i = 0;
while (Date.now() < end) {
  const tmp = ".swap-" + (i++ % 2);
  try { fs.rmSync(tmp, { recursive: true, force: true }); } catch {}
  try {
    if (i % 2) fs.symlinkSync(${JSON.stringify(linkTarget)}, tmp);
    else if (${JSON.stringify(kind)} === "dir") { fs.mkdirSync(tmp); fs.writeFileSync(tmp + "/x.txt", "inside"); }
    else fs.writeFileSync(tmp, "inside");
    fs.renameSync(tmp, ${JSON.stringify(name)});
  } catch {}
}`;

/** Starts the attacker in the container (not awaited: it runs beside the requests). */
function attack(script: string) {
  return api(server, auth, "POST", `/api/v1/projects/${projectId}/container/exec`, { command: ["node", "-e", script], timeout_ms: RACE_MS + 5000 });
}

async function hammer(request: () => Promise<string>, until: number): Promise<{ requests: number; leaks: number }> {
  let requests = 0;
  let leaks = 0;
  const worker = async () => {
    while (Date.now() < until) {
      const text = await request();
      requests++;
      if (text.includes(CANARY)) leaks++;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { requests, leaks };
}

function snapshot(dir: string) {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .sort()
    .map((f) => {
      const st = fs.lstatSync(path.join(dir, f));
      return `${f}:${st.uid}:${st.gid}:${st.isFile() ? fs.readFileSync(path.join(dir, f), "utf8") : "dir"}`;
    });
}

beforeAll(async () => {
  await requireEngine();
  const root = tempDir("slipway-security-");
  victimDir = path.join(root, "victim");
  fs.mkdirSync(victimDir);
  fs.writeFileSync(path.join(victimDir, "secret.txt"), CANARY);
  fs.writeFileSync(path.join(victimDir, "x.txt"), CANARY);
  server = await startServer({ dataDir: path.join(root, "data"), env: { SLIPWAY_TEST_CANARY: CANARY } });
  auth = await apiKeyFor(server.url, "mallory");
  projectId = (await createProject(server, auth)).id;
  projectDir = path.join(root, "data", "projects", projectId);
  const started = await api(server, auth, "POST", `/api/v1/projects/${projectId}/container/exec`, { command: "true", timeout_ms: 60_000 });
  expect(started.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (server) await removeInstanceContainers(server.dataDir);
});

describe("the file boundary holds while the container swaps symlinks in", () => {
  it("a file swapped for a symlink to a host file or /proc/self/environ is never read or exported", async () => {
    for (const target of [path.join(victimDir, "secret.txt"), "/proc/self/environ"]) {
      const running = attack(swapLoop("z.txt", target, "file"));
      await new Promise((r) => setTimeout(r, 500));
      const until = Date.now() + RACE_MS / 2;
      const reads = await hammer(async () => (await api(server, auth, "GET", `/api/v1/projects/${projectId}/files/content?path=z.txt`)).text, until);
      let zipLeaks = 0;
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/api/v1/projects/${projectId}/download`, { headers: { authorization: auth.authorization } });
        const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
        if (Object.values(files).some((b) => Buffer.from(b).toString("latin1").includes(CANARY))) zipLeaks++;
      }
      await running;
      console.log(`read race on ${target}: ${reads.requests} reads, ${reads.leaks} leaks, ${zipLeaks} leaking zips`);
      expect(reads.requests).toBeGreaterThan(50);
      expect(reads.leaks).toBe(0);
      expect(zipLeaks).toBe(0);
    }
  }, 60_000);

  it("writes, deletes and the ownership pass never touch a host folder swapped in for a project folder", async () => {
    const before = snapshot(victimDir);
    const running = attack(swapLoop("d", victimDir, "dir"));
    await new Promise((r) => setTimeout(r, 500));
    const until = Date.now() + RACE_MS;
    let n = 0;
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    await hammer(async () => {
      const i = n++;
      const op = i % 4;
      const res =
        op === 0
          ? await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(`d/new-${i}.txt`)}`, { content: "written" })
          : op === 1
            ? await api(server, auth, "DELETE", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent("d/x.txt")}`)
            : op === 2
              ? await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent("d/x.txt")}`, { content: "overwritten" })
              : await api(server, auth, "POST", `/api/v1/projects/${projectId}/container/exec`, { command: "true", timeout_ms: 10_000 });
      count(res.status);
      return "";
    }, until);
    await running;
    console.log(`write race: ${n} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(snapshot(victimDir)).toEqual(before);
  }, 60_000);

  it("moves, zip imports and checkpoint restores never touch a host folder swapped in for a project folder", async () => {
    await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent("d/x.txt")}`, { content: "checkpointed" });
    await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent("d/y.txt")}`, { content: "checkpointed" });
    const checkpoint = await api<{ id: string }>(server, auth, "POST", `/api/v1/projects/${projectId}/checkpoints`, { message: "before the race" });
    expect(checkpoint.status).toBe(201);
    await api(server, auth, "DELETE", `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent("d/y.txt")}`);
    const zip = zipSync({ "d/imported.txt": new TextEncoder().encode("imported"), "d/x.txt": new TextEncoder().encode("imported") });
    const before = snapshot(victimDir);
    const running = attack(swapLoop("d", victimDir, "dir"));
    await new Promise((r) => setTimeout(r, 500));
    const until = Date.now() + RACE_MS;
    let n = 0;
    const statuses = new Map<string, number>();
    const count = (op: string, s: number) => statuses.set(`${op} ${s}`, (statuses.get(`${op} ${s}`) ?? 0) + 1);
    await hammer(async () => {
      const i = n++;
      const op = i % 4;
      if (op === 0) {
        count("move out", (await api(server, auth, "POST", `/api/v1/projects/${projectId}/files/move`, { from: "d/x.txt", to: `moved-${i}.txt` })).status);
      } else if (op === 1) {
        await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=keep-${i}.txt`, { content: "kept" });
        count(
          "move in",
          (await api(server, auth, "POST", `/api/v1/projects/${projectId}/files/move`, { from: `keep-${i}.txt`, to: `d/kept-${i}.txt` })).status,
        );
      } else if (op === 2) {
        const res = await fetch(`${server.url}/api/v1/projects/${projectId}/import?mode=merge`, {
          method: "POST",
          headers: { authorization: auth.authorization, "content-type": "application/zip" },
          body: zip,
        });
        count("import", res.status);
      } else {
        count("restore", (await api(server, auth, "POST", `/api/v1/projects/${projectId}/restore`, { checkpoint: checkpoint.json.data.id })).status);
      }
      return "";
    }, until);
    await running;
    console.log(`move/import/restore race: ${n} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(n).toBeGreaterThanOrEqual(8); // every operation ran at least twice
    expect([...statuses.keys()].filter((k) => k.endsWith(" 500"))).toEqual([]);
    expect(snapshot(victimDir)).toEqual(before);
  }, 90_000);

  it("checkpoints and diffs never record or show a host file swapped in for a project file", async () => {
    const running = attack(swapLoop("z.txt", path.join(victimDir, "secret.txt"), "file"));
    await new Promise((r) => setTimeout(r, 500));
    const until = Date.now() + RACE_MS;
    let n = 0;
    const diffs = await hammer(async () => {
      const i = n++;
      if (i % 2 === 0) {
        const res = await api(server, auth, "POST", `/api/v1/projects/${projectId}/checkpoints`, { message: `race ${i}` });
        expect(res.status).not.toBe(500);
        return "";
      }
      const list = await api<{ id: string }[]>(server, auth, "GET", `/api/v1/projects/${projectId}/history?limit=1`);
      const from = list.json.data[0]?.id;
      return from ? (await api(server, auth, "GET", `/api/v1/projects/${projectId}/diff?from=${from}`)).text : "";
    }, until);
    await running;
    const repo = path.join(server.dataDir, "checkpoints", `${projectId}.git`);
    const history = execFileSync("git", ["--git-dir", repo, "log", "--all", "-p", "--text"], { maxBuffer: 256 * 1024 * 1024 }).toString("latin1");
    console.log(`checkpoint race: ${n} requests, ${history.split("\ncommit ").length} commits, ${diffs.leaks} leaking diffs`);
    expect(history).toContain("race ");
    expect(history).not.toContain(CANARY);
    expect(diffs.leaks).toBe(0);
  }, 90_000);

  it("a device node made on the host is listed as special and refused, never opened", async () => {
    execFileSync("mknod", [path.join(projectDir, "device"), "c", "1", "3"]); // the host's /dev/null
    const read = await fetch(`${server.url}/api/v1/projects/${projectId}/files/content?path=device`, {
      headers: { authorization: auth.authorization },
      signal: AbortSignal.timeout(5000),
    });
    expect(read.status).toBe(400);
    expect(((await read.json()) as { error: { reason: string } }).error.reason).toBe("special_file");
    const write = await api(server, auth, "PUT", `/api/v1/projects/${projectId}/files/content?path=device`, { content: "x" });
    expect(write.status).toBe(400);
    const tree = await api<{ path: string; type: string }[]>(server, auth, "GET", `/api/v1/projects/${projectId}/files`);
    expect(tree.json.data.find((e) => e.path === "device")?.type).toBe("special");
    const zip = await fetch(`${server.url}/api/v1/projects/${projectId}/download`, {
      headers: { authorization: auth.authorization },
      signal: AbortSignal.timeout(10_000),
    });
    expect(Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())))).not.toContain("device");
    expect(fs.lstatSync(path.join(projectDir, "device")).isCharacterDevice()).toBe(true);
  }, 30_000);

  it("FIFOs and sockets are refused at once and the server keeps answering", async () => {
    // The container image need not ship mkfifo: the FIFO is made from the host, the socket from inside.
    execFileSync("mkfifo", [path.join(projectDir, "pipe")]);
    const sock = attack(`require("net").createServer().listen("sock"); setTimeout(() => process.exit(0), 15000);`);
    sock.catch(() => undefined); // awaited at the end; a failed assertion before that must not leave it unhandled
    await expect.poll(() => fs.lstatSync(path.join(projectDir, "sock"), { throwIfNoEntry: false })?.isSocket() ?? false, { timeout: 10_000 }).toBe(true);
    for (const name of ["pipe", "sock"]) {
      const read = await fetch(`${server.url}/api/v1/projects/${projectId}/files/content?path=${name}`, {
        headers: { authorization: auth.authorization },
        signal: AbortSignal.timeout(5000),
      });
      expect(read.status).toBe(400);
      expect(((await read.json()) as { error: { reason: string } }).error.reason).toBe("special_file");
      const write = await fetch(`${server.url}/api/v1/projects/${projectId}/files/content?path=${name}`, {
        method: "PUT",
        headers: { authorization: auth.authorization, "content-type": "application/json" },
        body: JSON.stringify({ content: "x" }),
        signal: AbortSignal.timeout(5000),
      });
      expect(write.status).toBe(400);
    }
    const zip = await fetch(`${server.url}/api/v1/projects/${projectId}/download`, {
      headers: { authorization: auth.authorization },
      signal: AbortSignal.timeout(10_000),
    });
    expect(zip.status).toBe(200);
    const tree = await api<{ path: string; type: string }[]>(server, auth, "GET", `/api/v1/projects/${projectId}/files`);
    expect(tree.json.data.find((e) => e.path === "pipe")?.type).toBe("special");
    expect((await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    await sock;
    expect(fs.lstatSync(path.join(projectDir, "pipe")).isFIFO()).toBe(true);
  }, 60_000);
});
