/**
 * npm run bench:soak — needs a build (`npx next build`, same NEXT_DIST_DIR).
 *
 * BENCH_USERS (20) users, each with a project and a chat socket, send turns back to back for BENCH_MINUTES (2; the
 * figures in bench/README.md use 15) to the scripted OpenAI-compatible server, which answers every turn with one
 * write_file (a new file per turn) and then a short streamed text: the agent's full path with its checkpoints.
 *
 * Baseline, same process, before the soak: the same users make the same two model requests per turn directly to
 * the scripted server (the model's own time). Ratio = Slipway turn p50 ÷ direct p50.
 * Reports turns/min, errors, the server's CPU per turn (its own, and its children's: git for checkpoints), RSS over
 * time, heap and RSS after the run once idle and garbage-collected (bench/memory-probe.mjs), and checks that
 * nothing was lost: every completed turn's file is on disk and both its messages are in the database.
 *
 * Profiling: BENCH_CPU_PROF=<dir> writes the server's CPU profiles there when it stops (bench/memory-probe.mjs), and
 * BENCH_HEAP_SNAPSHOTS=<dir> a heap snapshot there after each garbage collection the soak asks for (before the turns
 * and idle after them), to compare what is retained.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import WebSocket from "ws";
import { queryDbFile } from "../tests/api/support";
import { reply, startScriptedLlm, text, toolCall, type ReceivedRequest, type ScriptReply } from "../tests/fixtures/scripted-llm/server";
import { apiKeyFor } from "../tests/helpers/auth";
import { startServer, tempDir } from "../tests/helpers/server";
import { childrenCpuMs, processCpuMs, rssOf, threadCpu } from "./proc";

const USERS = Number(process.env.BENCH_USERS ?? 20);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 2);
const BASELINE_SECONDS = 20;
const TEXT_CHUNKS = 20;
const CHUNK_DELAY_MS = 10;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The scripted model: a write_file for a fresh user message, a short streamed text once the tool result is in. */
function scripted(request: ReceivedRequest): ScriptReply {
  const last = request.body.messages.at(-1)!;
  if (last.role === "tool")
    return reply(
      [text("Saved the file. ".repeat(TEXT_CHUNKS / 2))],
      { prompt: 400, completion: TEXT_CHUNKS },
      { textChunkChars: 8, chunkDelayMs: CHUNK_DELAY_MS },
    );
  const name = /write (soak\/[\w-]+\.txt)/.exec(String(last.content))?.[1] ?? "soak/unnamed.txt";
  return reply([toolCall("write_file", { path: name, content: `${name}\n${"x".repeat(200)}\n` })], { prompt: 400, completion: 30 });
}

/** CPU (ms) of each thread of one process, by thread name (threads of one name summed; the main thread is "main"). */
function threadCpuMs(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of threadCpu(pid)) {
    const name = t.main ? "main" : t.name;
    out.set(name, (out.get(name) ?? 0) + t.ms);
  }
  return out;
}

/** The server's memory right after a full GC, once it has answered (bench/memory-probe.mjs writes it on SIGUSR2). */
async function memoryAfterGc(pid: number, dir: string): Promise<{ rss: number; heapUsed: number; external: number }> {
  const file = path.join(dir, `${pid}.json`);
  fs.rmSync(file, { force: true });
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 1200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  return JSON.parse(fs.readFileSync(file, "utf8")) as { rss: number; heapUsed: number; external: number };
}

/** One direct model request, read to its end. */
function direct(baseURL: string, messages: unknown[]): Promise<void> {
  const body = JSON.stringify({ model: "gpt-4o-mini", stream: true, messages });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseURL}/chat/completions`,
      { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-bench" } },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function openSocket(wsBase: string, projectId: string, authorization: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsBase}/api/v1/chat/stream/${projectId}`, { headers: { authorization, origin } });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** One turn on the socket's session: resolves with its duration and its error (null when it completed). */
function turn(ws: WebSocket, session: { id: string | null }, content: string): Promise<{ ms: number; error: string | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type: string; content: string; session_id: string | null; metadata: { status?: string } };
      if (frame.session_id) session.id = frame.session_id;
      if (frame.type !== "error" && frame.type !== "completion") return;
      ws.off("message", onMessage);
      resolve({
        ms: performance.now() - t0,
        error: frame.type === "error" ? frame.content : frame.metadata.status === "complete" ? null : `turn ${frame.metadata.status}`,
      });
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ type: "user_message", content, session_id: session.id }));
  });
}

async function main() {
  const llm = await startScriptedLlm({ respond: scripted });
  const dataDir = tempDir();
  const memDir = tempDir();
  const server = await startServer({
    dataDir,
    env: {
      LOG_LEVEL: "warn",
      LLM_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-bench",
      MODEL_NAME: "gpt-4o-mini",
      NODE_OPTIONS: [`--import=${path.resolve("bench/memory-probe.mjs")}`, process.env.BENCH_SERVER_NODE_OPTIONS ?? ""].join(" "),
      BENCH_MEM_DIR: memDir,
      ...(process.env.BENCH_CPU_PROF ? { BENCH_CPU_PROF: path.resolve(process.env.BENCH_CPU_PROF) } : {}),
      ...(process.env.BENCH_HEAP_SNAPSHOTS ? { BENCH_HEAP_SNAPSHOTS: path.resolve(process.env.BENCH_HEAP_SNAPSHOTS) } : {}),
    },
  });
  const pid = server.proc.pid!;
  const wsBase = server.url.replace(/^http/, "ws");
  try {
    console.log(
      `soak: ${USERS} users sending turns back to back for ${MINUTES} min (each turn: write_file, then ${TEXT_CHUNKS} text chunks ${CHUNK_DELAY_MS} ms apart)\n`,
    );

    // Baseline: the model's own time for a turn's two requests, at the same concurrency.
    const directMs: number[] = [];
    const baselineEnd = performance.now() + BASELINE_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: USERS }, async (_, u) => {
        for (let k = 0; performance.now() < baselineEnd; k++) {
          const t0 = performance.now();
          await direct(llm.baseURL, [{ role: "user", content: `write soak/d${u}-${k}.txt` }]);
          await direct(llm.baseURL, [
            { role: "user", content: "x" },
            { role: "tool", tool_call_id: "c", content: "ok" },
          ]);
          directMs.push(performance.now() - t0);
        }
      }),
    );
    llm.requests.length = 0;

    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, u) => {
        const auth = await apiKeyFor(server.url, `soak${u}`);
        const res = await fetch(`${server.url}/api/v1/projects`, {
          method: "POST",
          headers: { authorization: auth.authorization, "content-type": "application/json" },
          body: JSON.stringify({ template: "static", start_container: false }),
        });
        const { id } = ((await res.json()) as { data: { id: string } }).data;
        return { id, ws: await openSocket(wsBase, id, auth.authorization, server.url), session: { id: null as string | null }, done: 0 };
      }),
    );

    const start = await memoryAfterGc(pid, memDir);
    const turnMs: number[] = [];
    const errors: string[] = [];
    const rssSamples: string[] = [];
    // The server's own CPU, and that of the processes it started (the git helper with the git it runs).
    const [cpu0, children0] = [processCpuMs(pid).own, childrenCpuMs(pid)];
    const threads0 = threadCpuMs(pid);
    const rss0 = rssOf(pid);
    const t0 = performance.now();
    const end = t0 + MINUTES * 60_000;
    const sampler = setInterval(() => {
      rssSamples.push(`${((performance.now() - t0) / 60_000).toFixed(1)} min ${mb(rssOf(pid))}`);
      llm.requests.length = 0; // the scripted server keeps every request; the soak does not need them
    }, 30_000);
    await Promise.all(
      users.map(async (user, u) => {
        for (let k = 0; performance.now() < end; k++) {
          const r = await turn(user.ws, user.session, `write soak/u${u}-${k}.txt`);
          if (r.error) errors.push(r.error);
          else {
            user.done++;
            turnMs.push(r.ms);
          }
        }
      }),
    );
    clearInterval(sampler);
    const elapsedMin = (performance.now() - t0) / 60_000;
    const [cpu1, children1] = [processCpuMs(pid).own, childrenCpuMs(pid)];
    const threads = [...threadCpuMs(pid)]
      .map(([name, t]) => [name, t - (threads0.get(name) ?? 0)] as const)
      .filter(([, t]) => t > 0)
      .sort((a, b) => b[1] - a[1]);
    const rssEnd = rssOf(pid);
    for (const user of users) user.ws.close();
    await new Promise((r) => setTimeout(r, 5000));
    const idle = await memoryAfterGc(pid, memDir);

    const turns = turnMs.length;
    const directP50 = pct(directMs, 50);
    console.log(`turns completed ${turns} (${(turns / elapsedMin).toFixed(0)}/min), errors ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ""}`);
    console.log(
      `turn p50 ${pct(turnMs, 50).toFixed(0)} ms, p99 ${pct(turnMs, 99).toFixed(0)} ms; the model's own time for the same two requests (direct, same concurrency) p50 ${directP50.toFixed(0)} ms; ratio ${(pct(turnMs, 50) / directP50).toFixed(2)}`,
    );
    console.log(
      `server CPU per turn: ${((cpu1 - cpu0) / turns).toFixed(1)} ms in the server process, ${((children1 - children0) / turns).toFixed(1)} ms in the processes it started (the git helper and the git commands of the checkpoints)`,
    );
    console.log(`  by thread, per turn: ${threads.map(([name, t]) => `${name} ${(t / turns).toFixed(1)} ms`).join(", ")}`);
    console.log(`server RSS: ${mb(rss0)} at the start, ${mb(rssEnd)} at the end; every 30 s: ${rssSamples.join(", ")}`);
    console.log(
      `garbage-collected: before the turns RSS ${mb(start.rss)}, heap used ${mb(start.heapUsed)}, external ${mb(start.external)}; idle after them RSS ${mb(idle.rss)}, heap used ${mb(idle.heapUsed)}, external ${mb(idle.external)}`,
    );

    // Nothing lost: every completed turn's file is on disk and its two messages are stored.
    await server.stop();
    let missingFiles = 0;
    for (const user of users) {
      const dir = path.join(dataDir, "projects", user.id, "soak");
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
      missingFiles += Math.max(0, user.done - files);
    }
    const rows = await queryDbFile(dataDir, "SELECT role, count(*)::INTEGER AS n FROM chat_messages GROUP BY role ORDER BY role");
    console.log(`stored: ${rows.map((r) => `${r.n} ${r.role} messages`).join(", ")} for ${turns} completed turns; files missing: ${missingFiles}`);
  } finally {
    if (server.proc.exitCode === null) await server.stop();
    await llm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
