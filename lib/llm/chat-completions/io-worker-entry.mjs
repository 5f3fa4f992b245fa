// The LLM I/O thread's entry: loads the TypeScript worker through tsx (a worker's entry module bypasses the
// loader hooks that `--import tsx` installs, and under vitest there are none).
import { tsImport } from "tsx/esm/api";

await tsImport("./io-worker.ts", import.meta.url);
