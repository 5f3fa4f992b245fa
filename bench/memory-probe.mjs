// Preloaded into the server by bench/chat.ts (NODE_OPTIONS=--import): on SIGUSR2, collect garbage and write
// process.memoryUsage() to $BENCH_MEM_DIR/<pid>.json, so memory per connection is measured after a GC. With
// BENCH_HEAP_SNAPSHOTS set (bench/soak.ts), a heap snapshot is also written to that directory, after the GC, before the JSON.
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
process.on("SIGUSR2", () => {
  gc();
  gc();
  if (process.env.BENCH_HEAP_SNAPSHOTS) v8.writeHeapSnapshot(path.join(process.env.BENCH_HEAP_SNAPSHOTS, `${process.pid}-${Date.now()}.heapsnapshot`));
  fs.writeFileSync(path.join(process.env.BENCH_MEM_DIR, `${process.pid}.json`), JSON.stringify(process.memoryUsage()));
});
