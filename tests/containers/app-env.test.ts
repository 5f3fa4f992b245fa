import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { apiKeyFor } from "../helpers/auth";
import { ChatClient, createProject, startChatWorld, type ChatWorld } from "../chat/support";
import { api, removeInstanceContainers, requireEngine, type Auth } from "./support";

const CANARY = `canary-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const PLAIN = "plain-value-visible";

let world: ChatWorld;
let alice: Auth;
let projectId: string;
/** Every API response body the test received, searched for the canary at the end. */
const bodies: string[] = [];

type EnvList = { vars: { key: string; secret: boolean; value: string | null; hint: string | null }[]; restart_required: boolean };
const envPath = () => `/api/v1/projects/${projectId}/env`;
async function call<T>(method: string, url: string, body?: unknown, who: Auth = alice) {
  const res = await api<T>(world.server, who, method, url, body);
  bodies.push(res.text);
  return res;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  await requireEngine();
  world = await startChatWorld({ CONTAINER_MEMORY_MB: "256", CONTAINER_PIDS: "64" });
  alice = { authorization: world.authorization, userId: world.userId };
  projectId = await createProject(world, "env-app");
}, 300_000);

afterAll(async () => {
  if (world) {
    await removeInstanceContainers(world.server.dataDir);
    await world.stop();
  }
});

describe("app environment variables", () => {
  it("stores a secret sealed and returns only its hint; plain values come back", async () => {
    const put = await call<EnvList>("PUT", envPath(), {
      vars: [
        { key: "API_TOKEN", value: CANARY, secret: true },
        { key: "GREETING", value: PLAIN },
      ],
    });
    expect(put.status, put.text).toBe(200);
    const get = await call<EnvList>("GET", envPath());
    expect(get.status).toBe(200);
    expect(get.json.data.vars).toEqual([
      { key: "API_TOKEN", secret: true, value: null, hint: `…${CANARY.slice(-2)} (${CANARY.length} characters)` },
      { key: "GREETING", secret: false, value: PLAIN, hint: null },
    ]);
  });

  it("keeps a secret's stored value when the PUT omits it", async () => {
    const put = await call<EnvList>("PUT", envPath(), {
      vars: [
        { key: "API_TOKEN", secret: true },
        { key: "GREETING", value: PLAIN },
      ],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json.data.vars[0]).toMatchObject({ key: "API_TOKEN", hint: `…${CANARY.slice(-2)} (${CANARY.length} characters)` });
    const missing = await call("PUT", envPath(), { vars: [{ key: "NEW_SECRET", secret: true }] });
    expect(missing.status).toBe(400);
    expect(missing.json.error?.fields).toEqual([expect.objectContaining({ path: "body.vars.0.value" })]);
  });

  it.each([
    [
      "a bad key",
      [
        { key: "GOOD", value: "1" },
        { key: "9bad", value: "x" },
      ],
      "body.vars.1.key",
    ],
    ["a reserved key", [{ key: "PORT", value: "1" }], "body.vars.0.key"],
    ["a SLIPWAY_ key", [{ key: "SLIPWAY_X", value: "1" }], "body.vars.0.key"],
    [
      "a duplicate key",
      [
        { key: "A", value: "1" },
        { key: "A", value: "2" },
      ],
      "body.vars.1.key",
    ],
    ["a too long key", [{ key: "K".repeat(129), value: "1" }], "body.vars.0.key"],
    ["a too long value", [{ key: "BIG", value: "x".repeat(32 * 1024 + 1) }], "body.vars.0.value"],
    ["too many variables", Array.from({ length: 101 }, (_, i) => ({ key: `V${i}`, value: "1" })), "body.vars"],
  ])("refuses %s with 400 naming the field, leaving the list unchanged", async (_name, vars, field) => {
    const res = await call("PUT", envPath(), { vars });
    expect(res.status).toBe(400);
    expect(res.json.error?.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
    const get = await call<EnvList>("GET", envPath());
    expect(get.json.data.vars.map((v) => v.key)).toEqual(["API_TOKEN", "GREETING"]);
  });

  it("is 404 for another user's project", async () => {
    const bob = await apiKeyFor(world.server.url, "bob");
    expect((await call("GET", envPath(), undefined, bob)).status).toBe(404);
    expect((await call("PUT", envPath(), { vars: [] }, bob)).status).toBe(404);
  });

  it("reaches the container after a restart, which a change to a running container asks for", async () => {
    const started = await call("POST", `/api/v1/projects/${projectId}/container/start`);
    expect(started.status, started.text).toBe(200);
    const before = await call<EnvList>("GET", envPath());
    expect(before.json.data.restart_required).toBe(false);
    const changed = await call<EnvList>("PUT", envPath(), {
      vars: [
        { key: "API_TOKEN", secret: true },
        { key: "GREETING", value: `${PLAIN}-2` },
      ],
    });
    expect(changed.json.data.restart_required).toBe(true);
    const restarted = await call("POST", `/api/v1/projects/${projectId}/container/restart`);
    expect(restarted.status, restarted.text).toBe(200);
    expect((await call<EnvList>("GET", envPath())).json.data.restart_required).toBe(false);
    // The command's output holds the secret: read it without keeping it among the searched bodies.
    const res = await api<{ stdout: string }>(world.server, alice, "POST", `/api/v1/projects/${projectId}/container/exec`, {
      command: [
        "node",
        "-e",
        "console.log(process.env.GREETING); console.log(process.env.API_TOKEN === process.argv[1] ? 'secret-ok' : 'secret-missing')",
        CANARY,
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.data.stdout).toBe(`${PLAIN}-2\nsecret-ok\n`);
  });

  it("tells the agent the names but never the values, even when a command prints one; chat frames do not carry them", async () => {
    world.llm.enqueue(
      reply([toolCall("run_command", { command: "node -e 'console.log(process.env.API_TOKEN, process.env.GREETING)'" })]),
      reply([text("Noted.")]),
    );
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "Which variables exist?" });
    await chat.completion(1);
    chat.close();
    const [first, second] = world.llm.requests.slice(-2).map((r) => JSON.stringify(r.body));
    expect(first).toContain("API_TOKEN");
    expect(first).toContain("GREETING");
    expect(second).toContain("[secret API_TOKEN]");
    expect(second).toContain(`${PLAIN}-2`);
    for (const request of [first!, second!]) expect(request).not.toContain(CANARY);
    expect(chat.raw.join("\n")).not.toContain(CANARY);
  });

  it("never writes the secret into the export, the project files, the checkpoints or the server's log", async () => {
    const checkpoint = await call("POST", `/api/v1/projects/${projectId}/checkpoints`, { message: "with env" });
    expect(checkpoint.status, checkpoint.text).toBeLessThan(300);
    const zip = await fetch(`${world.server.url}/api/v1/projects/${projectId}/download`, { headers: { authorization: alice.authorization } });
    expect(zip.status).toBe(200);
    expect(Buffer.from(await zip.arrayBuffer()).includes(CANARY)).toBe(false);

    const files = filesUnder(world.server.dataDir).filter((f) => !/\.(duckdb|wal)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.readFileSync(file).includes(CANARY), file).toBe(false);

    const gitDir = path.join(world.server.dataDir, "checkpoints", `${projectId}.git`);
    const history = execFileSync("git", ["--git-dir", gitDir, "log", "--all", "-p"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(history.length).toBeGreaterThan(0);
    expect(history).not.toContain(CANARY);

    expect(world.server.output()).toContain("/env");
    expect(world.server.output()).not.toContain(CANARY);
    for (const body of bodies) expect(body).not.toContain(CANARY);
  });
});
