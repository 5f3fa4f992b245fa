// Preloaded into the server by bench/chat.ts (NODE_OPTIONS=--import): on SIGUSR2, collect garbage and write
// process.memoryUsage() to $BENCH_MEM_DIR/<pid>.json, so memory per connection is measured after a GC.
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
process.on("SIGUSR2", () => {
  gc();
  gc();
  fs.writeFileSync(path.join(process.env.BENCH_MEM_DIR, `${process.pid}.json`), JSON.stringify(process.memoryUsage()));
});
