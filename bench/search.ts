/**
 * npm run bench:search — the agent's search_files tool over a generated project of 2,000 files (40 MB of code),
 * next to the same search done the way it was before session 9, in the same process: reading and matching every
 * line on the main thread. For each: the median time of a search that matches nothing (so every line is tried),
 * and the longest the event loop waited meanwhile (what every other chat, request and preview of the server
 * waits). The tool matches on a worker thread, so a runaway regular expression can be stopped (see line-search.ts).
 *
 * Knobs: BENCH_FILES (2000), BENCH_RUNS (5).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-search-"));
process.env.DATABASE_DIR = dataDir;
process.env.AUTH_SECRET ??= "bench-only-secret-bench-only-secret-0123";
const projectId = "11111111-1111-4111-8111-111111111111";
const root = path.join(dataDir, "projects", projectId);
const line = "export function item(id) { return `<li>${id}</li>`; } // one line of a generated component\n";
for (let i = 0; i < FILES; i++) {
  const dir = path.join(root, "src", `d${i % 20}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `f${i}.js`), line.repeat(220));
}

const { searchFilesTool } = await import("../lib/agent/tools/search-files");
const { isBinary, listTree, readProjectBytes } = await import("../lib/files/service");
const tool = searchFilesTool({ projectId, signal: new AbortController().signal } as never);

/** search_files before session 9: read and match on the main thread, awaiting each read. */
async function onMainThread(query: string, flags: string): Promise<number> {
  const pattern = new RegExp(query, flags);
  const { entries } = await listTree(projectId, { maxEntries: 5000 });
  let found = 0;
  for (const entry of entries) {
    if (entry.type !== "file") continue;
    const { bytes } = await readProjectBytes(projectId, entry.path, { maxBytes: 1024 * 1024 });
    if (isBinary(bytes)) continue;
    for (const l of bytes.toString("utf8").split("\n")) if (pattern.test(l)) found++;
  }
  return found;
}

async function measure(search: () => Promise<unknown>): Promise<{ median: number; maxStall: number }> {
  await search(); // warm-up
  const times: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await search();
    times.push(performance.now() - t0);
  }
  delay.disable();
  return { median: times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!, maxStall: delay.max / 1e6 };
}

try {
  console.log(
    `search_files over ${FILES} files (${((FILES * line.length * 220) / 1e6).toFixed(0)} MB), a query that matches nothing, ${RUNS} runs after a warm-up\n`,
  );
  for (const [label, regex, query] of [
    ["plain text", false, "nothing-like-this"],
    ["regular expression", true, "item\\(\\d+\\)$"],
  ] as const) {
    const tool9 = await measure(async () => tool.execute!({ query, regex } as never, { toolCallId: "bench", messages: [] }));
    const before = await measure(() => onMainThread(regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"));
    console.log(`${label}:`);
    console.log(`  search_files (worker thread):     median ${tool9.median.toFixed(0)} ms, longest event-loop wait ${tool9.maxStall.toFixed(1)} ms`);
    console.log(`  on the main thread (before):      median ${before.median.toFixed(0)} ms, longest event-loop wait ${before.maxStall.toFixed(1)} ms`);
    console.log(`  ratio: time ${(tool9.median / before.median).toFixed(2)}, longest wait ${(tool9.maxStall / before.maxStall).toFixed(2)}\n`);
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
