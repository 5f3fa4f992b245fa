/**
 * npm run bench:chat — needs a build (`npx next build`, same NEXT_DIST_DIR).
 *
 * Against the scripted OpenAI-compatible server (tests/fixtures/scripted-llm), in one run:
 * 1. Time to first token at 20 concurrent sessions: through Slipway (user_message on the WebSocket →
 *    first agent_response frame) next to directly from the scripted server (POST → first content chunk
 *    over HTTP), and the added latency (p50/p99 of Slipway − direct p50/p99). 1a: the 20 send at the same instant
 *    (the worst case: each waits for the turns queued before it); 1b: as concurrent users, each sending its next
 *    message 0–200 ms after its last answer.
 * 2. 200 concurrent streaming sessions (one per project), next to the same streams read directly and through the
 *    bare relay (bench/bare-relay.mjs: the floor any relay reaches on this machine): the gaps
 *    between agent_response frames (p50/p95; a frame that coalesced k chunks is one gap, so batching is not
 *    rewarded) and the lag of every chunk from the moment the scripted server wrote it to the moment the client
 *    had it (same process, same clock; a chunk held back to share a frame shows its full delay), errors.
 *    2a: sessions start over one second and are measured while all 200 stream (steady state); 2b: all 200 start
 *    in the same instant and every chunk counts (the burst of 200 turn starts, DB writes included).
 * 3. Memory per idle chat connection: retained heap after a full GC (bench/memory-probe.mjs) and RSS growth.
 *
 * Knobs: BENCH_PHASES (1,2a,2b,3), BENCH_CONCURRENCY (20), BENCH_ROUNDS (30), BENCH_STREAMS (200); BENCH_SERVER_NODE_OPTIONS adds Node
 * options to the server (e.g. a profiler preload that writes its profile on SIGUSR2); with BENCH_PROFILE_PHASE=1|2
 * the server gets SIGUSR2 at that phase's start and end instead (see profilePhase).
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../tests/fixtures/scripted-llm/server";
import { apiKeyFor } from "../tests/helpers/auth";
import { freePort, startServer, tempDir } from "../tests/helpers/server";
import { threadCpu, treeCpuMs, treePids, treeRss } from "./proc";

const TTFT_CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
// 30 rounds of 20 sessions: 600 turns, so p99 is the 6th-slowest turn rather than (with 120) nearly the slowest one.
const TTFT_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const phases = new Set((process.env.BENCH_PHASES ?? "1,2a,2b,3").split(","));
const STREAM_CHUNKS = 40;
/** The steady-state streams: long enough that all of them run together for ~2 s after a 1 s spread of starts. */
const STEADY_CHUNKS = 120;
const START_SPREAD_MS = 1000;
const CHUNK_DELAY_MS = 25;
const IDLE_SOCKETS = 1000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(2)} ms`;

type Memory = { rss: number; heapUsed: number; external: number; arrayBuffers: number };

/**
 * Memory of every process of the server's tree right after a full GC (via bench/memory-probe.mjs), by pid.
 * Waits until each process has answered.
 */
async function memoryAfterGc(pid: number, dir: string): Promise<Map<number, Memory>> {
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
  const pids = treePids(pid);
  for (const p of pids) process.kill(p, "SIGUSR2");
  const out = new Map<number, Memory>();
  for (let i = 0; i < 100 && out.size < pids.length; i++) {
    await new Promise((r) => setTimeout(r, 200));
    for (const p of pids) {
      const file = path.join(dir, `${p}.json`);
      if (!out.has(p) && fs.existsSync(file)) out.set(p, JSON.parse(fs.readFileSync(file, "utf8")) as Memory);
    }
  }
  return out;
}

/** CPU time (ms) of each thread of one process, by thread name and id. */
function threadCpuMs(pid: number): Map<string, number> {
  return new Map(threadCpu(pid).map((t) => [`${t.name}${t.main ? " (main)" : `#${t.id}`}`, t.ms]));
}

/** CPU (ms) of each of the server's threads since `before` (threads with 50 ms or more), busiest first. */
function threadCpuDelta(before: Map<string, number>): string {
  return [...threadCpuMs(serverPid)]
    .map(([name, t]) => [name, t - (before.get(name) ?? 0)] as const)
    .filter(([, t]) => t >= 50)
    .sort((a, b) => b[1] - a[1])
    .map(([name, t]) => `${name} ${t} ms`)
    .join(", ");
}

/** When each `wordNNN` of a reply was received (by word number). */
type Arrivals = Map<number, number>;

function noteArrivals(arrivals: Arrivals, content: string, now: number) {
  for (const m of content.matchAll(/word(\d{3}) /g)) arrivals.set(Number(m[1]), now);
}

/**
 * The body of a request Slipway sent (system prompt, tool definitions…): direct requests send the same, with their
 * own last user message, so the scripted server does the same work for both.
 */
let slipwayRequest: { messages: unknown[] } | null = null;
function keepSlipwayRequest() {
  slipwayRequest ??= structuredClone(llm.requests.find((r) => r.body.messages.at(-1)?.content === "warm-up")?.body ?? null) as { messages: unknown[] } | null;
}

/**
 * Direct: POST to the scripted server over node:http (keep-alive, as Slipway's client), with the body Slipway
 * sends (see slipwayRequest): time to the first content delta, the gaps between chunks, arrivals. Not fetch:
 * undici costs ~100 µs of this process's CPU per chunk, and a baseline slowed by its own client makes the
 * difference to Slipway look smaller than it is.
 */
// Idle sockets are closed after 4 s, before the scripted server's 5 s keep-alive timeout can race a reuse.
const directAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 });
function direct(baseURL: string, tag = "hi"): Promise<{ ttft: number; gaps: number[]; arrivals: Arrivals; frames: number[] }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let buffer = "";
    let ttft = -1;
    let last = 0;
    const gaps: number[] = [];
    const frames: number[] = [];
    const arrivals: Arrivals = new Map();
    const template = slipwayRequest ?? {
      model: "gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "" }],
    };
    const body = JSON.stringify({ ...template, messages: [...template.messages.slice(0, -1), { role: "user", content: tag }] });
    const req = http.request(
      `${baseURL}/chat/completions`,
      {
        method: "POST",
        agent: directAgent,
        headers: { "content-type": "application/json", authorization: "Bearer bench", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let i: number;
          while ((i = buffer.indexOf("\n\n")) !== -1) {
            const event = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            if (!event.startsWith("data: {")) continue;
            const content = (JSON.parse(event.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content;
            if (!content) continue;
            const now = performance.now();
            if (ttft < 0) ttft = now - t0;
            else gaps.push(now - last);
            last = now;
            frames.push(now);
            noteArrivals(arrivals, content, now);
          }
        });
        res.on("end", () => resolve({ ttft, gaps, arrivals, frames }));
        res.on("error", reject);
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

/** Through Slipway: one turn on an open socket; time to the first agent_response and the gaps between them. */
const sessionOf = new WeakMap<WebSocket, string>();

const sentAt = new Map<string, number>();

function turn(ws: WebSocket, content: string): Promise<{ ttft: number; gaps: number[]; arrivals: Arrivals; frames: number[]; error: string | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    sentAt.set(content, t0);
    let ttft = -1;
    let last = 0;
    const gaps: number[] = [];
    const frames: number[] = [];
    const arrivals: Arrivals = new Map();
    const onMessage = (data: WebSocket.RawData) => {
      const now = performance.now();
      const frame = JSON.parse(data.toString()) as { type: string; content: string; session_id: string | null; metadata: { status?: string } };
      if (frame.session_id) sessionOf.set(ws, frame.session_id);
      if (frame.type === "agent_response") {
        if (ttft < 0) ttft = now - t0;
        else gaps.push(now - last);
        last = now;
        frames.push(now);
        noteArrivals(arrivals, frame.content, now);
      } else if (frame.type === "error" || frame.type === "completion") {
        ws.off("message", onMessage);
        resolve({
          ttft,
          gaps,
          arrivals,
          frames,
          error: frame.type === "error" ? frame.content : frame.metadata.status === "complete" ? null : `turn ${frame.metadata.status}`,
        });
      }
    };
    ws.on("message", onMessage);
    // Later turns continue the socket's session, as a chat does.
    ws.send(JSON.stringify({ type: "user_message", content, session_id: sessionOf.get(ws) ?? null }));
  });
}

/** `n` concurrent users, each doing `rounds` turns, each turn 0–200 ms (uniform) after the last one ended. */
async function asUsers(n: number, rounds: number, once: (user: number, round: number) => Promise<void>) {
  const think = () => new Promise((r) => setTimeout(r, Math.random() * 200));
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      for (let k = 0; k < rounds; k++) {
        await think();
        await once(i, k);
      }
    }),
  );
}

/**
 * BENCH_PROFILE_PHASE=1|2 with a profiler preload in BENCH_SERVER_NODE_OPTIONS: SIGUSR2 to the server when that
 * phase starts and again when it ends (the preload starts profiling on the first signal, writes on the second).
 */
let profiledPid = 0;
function profilePhase(phase: number, _edge: "start" | "stop") {
  if (process.env.BENCH_PROFILE_PHASE === String(phase) && profiledPid) process.kill(profiledPid, "SIGUSR2");
}

/** Frames of one reply as (previous, this) arrival pairs inside [from, to]. */
function gapsWithin(frames: number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < frames.length; k++) if (frames[k - 1]! >= from && frames[k]! <= to) out.push(frames[k]! - frames[k - 1]!);
  return out;
}

let llm: ScriptedLlm;
let serverPid = 0;
let relayPid = 0;
let relayProc: ChildProcess | undefined;

/** One variant's runs in a streaming phase: frame arrivals per stream, and the upstream request tag of each. */
interface Variant {
  name: string;
  runs: Array<{ frames: number[]; arrivals: Arrivals; error?: string | null }>;
  tag: (i: number) => string;
}

/**
 * STREAMS turns (one per socket) of `chunks` text chunks CHUNK_DELAY_MS apart, started `spreadMs` apart in all:
 * read directly from the scripted server, through the bare relay (bench/bare-relay.mjs, the floor for any relay
 * on this machine), and through Slipway, one after the other. With a spread, only frames received while every
 * stream was running count (from the last stream's first frame to the first stream's last frame).
 */
async function streamingPhase(label: string, sockets: WebSocket[], relaySockets: WebSocket[], chunks: number, spreadMs: number) {
  const paced = reply([text(wordsOf(chunks))], { prompt: 100, completion: chunks }, { textChunkChars: 8, chunkDelayMs: CHUNK_DELAY_MS });
  const staggered = <T>(i: number, start: () => Promise<T>) => new Promise<T>((resolve) => setTimeout(() => resolve(start()), (i * spreadMs) / sockets.length));
  const enqueue = () => {
    for (let i = 0; i < sockets.length; i++) llm.enqueue(paced);
  };
  const benchCpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };

  enqueue();
  let benchCpu0 = process.cpuUsage();
  let started = performance.now();
  const straight: Variant = {
    name: "direct",
    runs: await Promise.all(sockets.map((_, i) => staggered(i, () => direct(llm.baseURL, `${label} direct ${i}`)))),
    tag: (i) => `${label} direct ${i}`,
  };
  const directLoad = { cpu: benchCpuMs(benchCpu0), wall: performance.now() - started };

  enqueue();
  const relayCpu0 = treeCpuMs(relayPid);
  const relayStarted = performance.now();
  const relay: Variant = {
    name: "bare relay",
    runs: await Promise.all(relaySockets.map((ws, i) => staggered(i, () => turn(ws, `${label} relay ${i}`)))),
    tag: (i) => `${label} relay ${i}`,
  };

  const relayLoad = { cpu: treeCpuMs(relayPid) - relayCpu0, wall: performance.now() - relayStarted };
  enqueue();
  profilePhase(2, "start");
  const speed = calibrate();
  const cpu0 = treeCpuMs(serverPid);
  const threads0 = threadCpuMs(serverPid);
  benchCpu0 = process.cpuUsage();
  started = performance.now();
  const slipway: Variant = {
    name: "Slipway",
    runs: await Promise.all(sockets.map((ws, i) => staggered(i, () => turn(ws, `${label} stream ${i}`)))),
    tag: (i) => `${label} stream ${i}`,
  };
  const wall = performance.now() - started;
  const streamCpu = treeCpuMs(serverPid) - cpu0;
  const benchCpu = benchCpuMs(benchCpu0);
  const byThread = threadCpuDelta(threads0);
  profilePhase(2, "stop");

  const upstreamOf = (tag: string) => llm.requests.find((r) => r.body.messages.at(-1)?.content === tag);
  const figures = (v: Variant) => {
    const [from, to]: [number, number] =
      spreadMs > 0
        ? [Math.max(...v.runs.map((r) => r.frames[0] ?? Infinity)), Math.min(...v.runs.map((r) => r.frames.at(-1) ?? -Infinity))]
        : [-Infinity, Infinity];
    const gaps = v.runs.flatMap((r) => gapsWithin(r.frames, from, to));
    // Lag of every chunk: received by the client − written by the scripted server (same process, same clock).
    // Event 0 is the role chunk; word k is event k + 1.
    const lags = v.runs.flatMap((r, i) => {
      const sent = upstreamOf(v.tag(i))?.sentAt ?? [];
      return [...r.arrivals].filter(([k, at]) => sent[k + 1] !== undefined && at >= from && at <= to).map(([k, at]) => at - sent[k + 1]!);
    });
    return { gaps, lags, window: to - from, errors: v.runs.filter((r) => r.error).map((r) => r.error!) };
  };
  const [d, b, sw] = [figures(straight), figures(relay), figures(slipway)];
  const how = spreadMs > 0 ? `started over ${spreadMs} ms, measured while all ${sockets.length} stream (${ms(sw.window)})` : "all started at once, every chunk";
  console.log(
    `\n2${label === "steady" ? "a" : "b"}. ${sockets.length} concurrent streaming sessions, ${chunks} chunks ${CHUNK_DELAY_MS} ms apart, ${how} (wall ${ms(wall)}; machine speed before: ${speed})`,
  );
  for (const [name, f] of [
    ["direct", d],
    ["bare relay", b],
    ["Slipway", sw],
  ] as const) {
    console.log(
      `   ${name.padEnd(11)} inter-chunk delay p50 ${ms(pct(f.gaps, 50))}  p95 ${ms(pct(f.gaps, 95))};  chunk lag p50 ${ms(pct(f.lags, 50))}  p95 ${ms(pct(f.lags, 95))}  (${f.lags.length} chunks)`,
    );
  }
  console.log(
    `   added p95 (frame gaps):  Slipway ${ms(pct(sw.gaps, 95) - pct(d.gaps, 95))}   (target ≤ 5 ms);  bare relay ${ms(pct(b.gaps, 95) - pct(d.gaps, 95))}`,
  );
  console.log(`   added p95 (chunk lag):   Slipway ${ms(pct(sw.lags, 95) - pct(d.lags, 95))};  bare relay ${ms(pct(b.lags, 95) - pct(d.lags, 95))}`);
  console.log(
    `   server CPU: ${ms(streamCpu)} over the ${ms(wall)} wall (${((100 * streamCpu) / wall).toFixed(0)}% of one core), ${ms(streamCpu / sockets.length)} per turn`,
  );
  console.log(
    `   bare relay CPU: ${ms(relayLoad.cpu)} over the ${ms(relayLoad.wall)} wall (${((100 * relayLoad.cpu) / relayLoad.wall).toFixed(0)}% of one core), ${ms(relayLoad.cpu / sockets.length)} per turn`,
  );
  console.log(`   server CPU by thread: ${byThread}`);
  console.log(
    `   this process (scripted LLM server + ${sockets.length} WebSocket clients) on the same cores: ${((100 * benchCpu) / wall).toFixed(0)}% of one core (reading directly: ${((100 * directLoad.cpu) / directLoad.wall).toFixed(0)}%)`,
  );
  const errors = [...d.errors, ...b.errors, ...sw.errors];
  console.log(`   errors: ${errors.length}${errors.length ? ` (${[...new Set(errors)].join("; ")})` : ""}`);
}

/**
 * A fixed piece of CPU work (JSON round trips), timed: this VM's speed moves between runs, and with it every
 * figure; printed next to each phase so runs can be compared.
 */
function calibrate(): string {
  const sample = { type: "agent_response", content: "word001 ", session_id: "6f1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f", metadata: { step: 1 }, seq: 1 };
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < 200_000; i++) n += (JSON.parse(JSON.stringify(sample)) as { seq: number }).seq;
  return `${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs per JSON round trip`;
}

const wordsOf = (n: number) => Array.from({ length: n }, (_, i) => `word${String(i).padStart(3, "0")} `).join("");

async function main() {
  llm = await startScriptedLlm({ defaultReply: reply([text(wordsOf(STREAM_CHUNKS))], { prompt: 100, completion: STREAM_CHUNKS }, { textChunkChars: 8 }) });
  const root = tempDir("slipway-bench-chat-");
  const memDir = path.join(root, "memory");
  fs.mkdirSync(memDir);
  const server = await startServer({
    dataDir: path.join(root, "data"),
    env: {
      LLM_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "bench-key",
      MODEL_NAME: "gpt-4o-mini",
      LOG_LEVEL: "warn",
      NODE_OPTIONS: `--import ${pathToFileURL(path.resolve("bench/memory-probe.mjs")).href}${process.env.BENCH_SERVER_NODE_OPTIONS ? ` ${process.env.BENCH_SERVER_NODE_OPTIONS}` : ""}`,
      BENCH_MEM_DIR: memDir,
    },
  });
  const wsBase = server.url.replace(/^http/, "ws");
  profiledPid = server.proc.pid!;
  serverPid = server.proc.pid!;
  try {
    const { authorization } = await apiKeyFor(server.url, "bench");
    process.stdout.write(`creating ${STREAMS} projects… `);
    const projects: string[] = [];
    for (let i = 0; i < STREAMS; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const res = await fetch(`${server.url}/api/v1/projects`, {
            method: "POST",
            headers: { authorization, "content-type": "application/json" },
            body: JSON.stringify({ template: "static", start_container: false }),
          });
          if (res.status !== 201) throw new Error(`project create: ${res.status} ${await res.text()}`);
          return ((await res.json()) as { data: { id: string } }).data.id;
        }),
      );
      projects.push(...batch);
    }
    console.log("done");
    const relayPort = await freePort();
    relayProc = fork(path.resolve("bench/bare-relay.mjs"), [String(relayPort), llm.baseURL], { execArgv: ["--max-semi-space-size=64"] });
    const relay = relayProc;
    await new Promise((resolve, reject) => relay.once("message", resolve).once("exit", reject));
    relayPid = relay.pid!;
    const relayBase = `ws://127.0.0.1:${relayPort}`;
    /** Once Slipway's request body is known: the relay sends the same (see keepSlipwayRequest). */
    const relaySameBody = () => relay.send({ template: slipwayRequest });

    if (phases.has("1")) {
      // 1. Time to first token at 20 concurrent sessions.
      const sockets = await Promise.all(projects.slice(0, TTFT_CONCURRENCY).map((p) => openSocket(wsBase, p, authorization, server.url)));
      await Promise.all(sockets.map((ws) => turn(ws, "warm-up"))); // first turn per project initializes its git history
      keepSlipwayRequest();
      relaySameBody();
      const relayed = await Promise.all(sockets.map(() => openSocket(relayBase, "", "none", server.url)));
      const viaSlipway: number[] = [];
      const viaDirect: number[] = [];
      const viaRelay: number[] = [];
      let ttftErrors = 0;
      let ttftCpu = 0;
      profilePhase(1, "start");
      for (let round = 0; round < TTFT_ROUNDS; round++) {
        const d = await Promise.all(Array.from({ length: TTFT_CONCURRENCY }, () => direct(llm.baseURL)));
        viaDirect.push(...d.map((r) => r.ttft));
        viaRelay.push(...(await Promise.all(relayed.map((ws, i) => turn(ws, `relay ${round} session ${i}`)))).map((r) => r.ttft));
        const cpu0 = treeCpuMs(server.proc.pid!);
        const s = await Promise.all(sockets.map((ws, i) => turn(ws, `round ${round} session ${i}`)));
        ttftCpu += treeCpuMs(server.proc.pid!) - cpu0;
        for (const r of s) {
          if (r.error) ttftErrors++;
          else viaSlipway.push(r.ttft);
        }
      }
      profilePhase(1, "stop");
      // 1b. The same sessions as concurrent users: each sends its next message 0–200 ms (uniform) after its last answer.
      const loopDirect: number[] = [];
      await asUsers(TTFT_CONCURRENCY, TTFT_ROUNDS, async () => void loopDirect.push((await direct(llm.baseURL)).ttft));
      const loopRelay: number[] = [];
      await asUsers(relayed.length, TTFT_ROUNDS, async (i, k) => void loopRelay.push((await turn(relayed[i]!, `relay loop ${k} session ${i}`)).ttft));
      for (const ws of relayed) ws.close();
      const loopCpu0 = treeCpuMs(serverPid);
      const loopThreads0 = threadCpuMs(serverPid);
      const loopStarted = performance.now();
      const loopSlipway: number[] = [];
      const loopToUpstream: number[] = [];
      const loopFromUpstream: number[] = [];
      let loopErrors = 0;
      await asUsers(sockets.length, TTFT_ROUNDS, async (i, k) => {
        const tag = `loop ${k} session ${i}`;
        const r = await turn(sockets[i]!, tag);
        if (r.error) return void loopErrors++;
        loopSlipway.push(r.ttft);
        // Where the time goes: to the upstream request, and from the first content chunk's write to its frame.
        const upstream = llm.requests.find((q) => q.body.messages.at(-1)?.content === tag);
        if (upstream) {
          loopToUpstream.push(upstream.receivedAt - sentAt.get(tag)!);
          loopFromUpstream.push(sentAt.get(tag)! + r.ttft - upstream.sentAt[1]!);
        }
      });
      const loopCpu = { total: treeCpuMs(serverPid) - loopCpu0, wall: performance.now() - loopStarted, threads: threadCpuDelta(loopThreads0) };
      // Where the time goes: until the scripted server has the request, and from there to the first frame.
      const toUpstream = llm.requests
        .map((r) => {
          const last = r.body.messages.at(-1);
          const sent = typeof last?.content === "string" ? sentAt.get(last.content) : undefined;
          return sent !== undefined && last!.content !== "warm-up" && String(last!.content).startsWith("round") ? r.receivedAt - sent : undefined;
        })
        .filter((x): x is number => x !== undefined);
      console.log(`\n   (user_message → upstream request received: p50 ${ms(pct(toUpstream, 50))}, p99 ${ms(pct(toUpstream, 99))})`);
      console.log(`\n1a. Time to first token, ${TTFT_CONCURRENCY} sessions sending at the same instant × ${TTFT_ROUNDS} rounds (errors: ${ttftErrors})`);
      console.log(`   direct from the scripted server:  p50 ${ms(pct(viaDirect, 50))}  p99 ${ms(pct(viaDirect, 99))}`);
      console.log(`   through Slipway (WS frame):       p50 ${ms(pct(viaSlipway, 50))}  p99 ${ms(pct(viaSlipway, 99))}`);
      console.log(
        `   added by Slipway:                 p50 ${ms(pct(viaSlipway, 50) - pct(viaDirect, 50))}  p99 ${ms(pct(viaSlipway, 99) - pct(viaDirect, 99))}   (target ≤ 5 ms / ≤ 25 ms)`,
      );
      console.log(`   added by the bare relay (floor):  p50 ${ms(pct(viaRelay, 50) - pct(viaDirect, 50))}  p99 ${ms(pct(viaRelay, 99) - pct(viaDirect, 99))}`);
      console.log(`   server CPU per turn (${STREAM_CHUNKS} text chunks each, unpaced): ${ms(ttftCpu / (TTFT_ROUNDS * TTFT_CONCURRENCY))}`);
      console.log(
        `\n1b. Time to first token, ${TTFT_CONCURRENCY} sessions as concurrent users (next message 0–200 ms after the last answer) × ${TTFT_ROUNDS} turns (errors: ${loopErrors})`,
      );
      console.log(`   direct from the scripted server:  p50 ${ms(pct(loopDirect, 50))}  p99 ${ms(pct(loopDirect, 99))}`);
      console.log(`   through Slipway (WS frame):       p50 ${ms(pct(loopSlipway, 50))}  p99 ${ms(pct(loopSlipway, 99))}`);
      console.log(
        `   added by Slipway:                 p50 ${ms(pct(loopSlipway, 50) - pct(loopDirect, 50))}  p99 ${ms(pct(loopSlipway, 99) - pct(loopDirect, 99))}   (target ≤ 5 ms / ≤ 25 ms)`,
      );
      console.log(
        `   added by the bare relay (floor):  p50 ${ms(pct(loopRelay, 50) - pct(loopDirect, 50))}  p99 ${ms(pct(loopRelay, 99) - pct(loopDirect, 99))}`,
      );
      console.log(
        `   server CPU: ${((100 * loopCpu.total) / loopCpu.wall).toFixed(0)}% of one core, ${ms(loopCpu.total / loopSlipway.length)} per turn; by thread: ${loopCpu.threads}`,
      );
      console.log(
        `   (through Slipway: user_message → upstream request received p50 ${ms(pct(loopToUpstream, 50))}, p99 ${ms(pct(loopToUpstream, 99))}; first chunk written → its frame received p50 ${ms(pct(loopFromUpstream, 50))}, p99 ${ms(pct(loopFromUpstream, 99))})`,
      );
      for (const ws of sockets) ws.close();
    }
    // 2. 200 concurrent streaming sessions with a paced stream: the sessions start over one second (as users do)
    // and are measured while all of them stream; then all start in the same instant (the burst of turn starts).
    const all = await Promise.all(projects.map((p) => openSocket(wsBase, p, authorization, server.url)));
    await Promise.all((phases.has("1") ? all.slice(TTFT_CONCURRENCY) : all).map((ws) => turn(ws, "warm-up")));
    keepSlipwayRequest();
    relaySameBody();
    const relaySockets = await Promise.all(projects.map(() => openSocket(relayBase, "", "none", server.url)));
    if (phases.has("2a")) await streamingPhase("steady", all, relaySockets, STEADY_CHUNKS, START_SPREAD_MS);
    if (phases.has("2b")) await streamingPhase("burst", all, relaySockets, STREAM_CHUNKS, 0);
    for (const ws of [...all, ...relaySockets]) ws.close();
    await new Promise((r) => setTimeout(r, 1000));

    if (phases.has("3")) {
      // 3. Memory per idle connection: the RSS slope over 1,000 sockets opened after 300 warm-up ones (so one-time
      // growth of the heap and buffers is not charged to them).
      const pid = server.proc.pid!;
      const idle: WebSocket[] = [];
      const openMany = async (n: number) => {
        for (let i = 0; i < n; i += 50) {
          idle.push(
            ...(await Promise.all(
              Array.from({ length: 50 }, (_, j) => openSocket(wsBase, projects[(idle.length + j) % projects.length]!, authorization, server.url)),
            )),
          );
        }
        await new Promise((r) => setTimeout(r, 3000));
      };
      await openMany(300);
      const before = treeRss(pid);
      const gcBefore = await memoryAfterGc(pid, memDir);
      // The server is the tree's largest process (tsx's launcher is the other one).
      const [serverPid, heapBefore] = [...gcBefore].sort((a, b) => b[1].rss - a[1].rss)[0]!;
      await openMany(IDLE_SOCKETS);
      const after = treeRss(pid);
      const heapAfter = (await memoryAfterGc(pid, memDir)).get(serverPid)!;
      const retained = heapAfter.heapUsed + heapAfter.external - heapBefore.heapUsed - heapBefore.external;
      console.log(`\n3. Memory per idle chat connection (${IDLE_SOCKETS} more sockets after 300 warm-up ones; target ≤ 50 KB):`);
      console.log(`   retained JS heap + external after a full GC: ${(retained / IDLE_SOCKETS / 1024).toFixed(1)} KB`);
      console.log(
        `   process RSS growth (includes garbage not yet collected and allocator slack): ${((after - before) / IDLE_SOCKETS / 1024).toFixed(1)} KB (RSS ${(before / 1e6).toFixed(0)} → ${(after / 1e6).toFixed(0)} MB)`,
      );
      for (const ws of idle) ws.close();
    }
  } finally {
    relayProc?.kill();
    if (process.env.BENCH_SERVER_NODE_OPTIONS && !process.env.BENCH_PROFILE_PHASE) {
      // Profiling hook (see BENCH_SERVER_NODE_OPTIONS): ask every process of the server tree to write its profile.
      const { execSync } = await import("node:child_process");
      execSync(`pkill -USR2 -P ${server.proc.pid}; kill -USR2 ${server.proc.pid}`);
      await new Promise((r) => setTimeout(r, 3000));
    }
    await server.stop();
    await llm.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
