// Preloaded into the server by bench/chat.ts (NODE_OPTIONS=--import): on SIGUSR2, collect garbage and write
// process.memoryUsage() to $BENCH_MEM_DIR/<pid>.json, so memory per connection is measured after a GC. With
// BENCH_HEAP_SNAPSHOTS set (bench/soak.ts), a heap snapshot is also written to that directory, after the GC, before the JSON.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { isMainThread, threadId } from "node:worker_threads";

// BENCH_CPU_PROF=<dir> (bench/soak.ts): a CPU profile of this thread (the main one, and each worker this preload
// runs in), written there when the thread exits. --cpu-prof itself is not allowed in NODE_OPTIONS.
if (process.env.BENCH_CPU_PROF) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.on("exit", () => {
    // Messages to this thread's own inspector are handled synchronously: the callback runs before post returns.
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      const name = `${process.pid}-${isMainThread ? "main" : `worker${threadId}`}.cpuprofile`;
      fs.writeFileSync(path.join(process.env.BENCH_CPU_PROF, name), JSON.stringify(result.profile));
    });
  });
}

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
if (isMainThread)
  process.on("SIGUSR2", () => {
    gc();
    gc();
    if (process.env.BENCH_HEAP_SNAPSHOTS) v8.writeHeapSnapshot(path.join(process.env.BENCH_HEAP_SNAPSHOTS, `${process.pid}-${Date.now()}.heapsnapshot`));
    fs.writeFileSync(path.join(process.env.BENCH_MEM_DIR, `${process.pid}.json`), JSON.stringify(process.memoryUsage()));
  });
