/**
 * npm run bench:files — needs a build (`npx next build`, same NEXT_DIST_DIR).
 *
 * 1. File tree of a generated 20,000-file project through the HTTP API (GET /files), p50 over
 *    repeated runs, next to `find` over the same tree in the same run (with -printf of the same
 *    fields: path, type, size, mtime) and the ratio.
 * 2. Reading one file: the fd-anchored read the files API uses next to a bare stat + readFile by path
 *    (the check-then-use read it replaced), p50 in one process, and the HTTP read p50.
 * 3. Project creation time per template with a warm dependency cache (p50).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { readAt, withAnchor } from "../lib/files/anchored-fs";
import { apiKeyFor } from "../tests/helpers/auth";
import { startServer, tempDir } from "../tests/helpers/server";

const run = promisify(execFile);
const FILES = 20_000;
const RUNS = 15;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function generateTree(dir: string) {
  // 20 top folders × 10 sub-folders × 100 files = 20,000 files, plus 220 folders.
  let n = 0;
  for (let a = 0; a < 20; a++) {
    for (let b = 0; b < 10; b++) {
      const d = path.join(dir, `pkg-${a}`, `mod-${b}`);
      fs.mkdirSync(d, { recursive: true });
      for (let c = 0; c < 100 && n < FILES; c++, n++) fs.writeFileSync(path.join(d, `file-${c}.ts`), `export const v${c} = ${n};\n`);
    }
  }
  return n;
}

async function main() {
  const root = tempDir("slipway-bench-files-");
  const projectsDir = path.join(root, "projects");
  const server = await startServer({
    dataDir: path.join(root, "data"),
    env: {
      PROJECTS_DIR: projectsDir,
      TEMPLATE_CACHE_DIR: path.resolve("node_modules/.cache/slipway-template-cache"),
      LOG_LEVEL: "warn",
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  try {
    const { authorization } = await apiKeyFor(server.url, "bench");
    const call = (method: string, url: string, body?: unknown) =>
      fetch(`${server.url}${url}`, {
        method,
        headers: { authorization, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const create = async (template: string) => {
      const res = await call("POST", "/api/v1/projects", { template, start_container: false });
      if (res.status !== 201) throw new Error(`create ${template}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { data: { id: string } }).data.id;
    };

    // 1. tree
    const id = await create("static");
    const dir = path.join(projectsDir, id);
    const count = generateTree(dir);
    let entries = 0;
    let body = new ArrayBuffer(0);
    // Time to the last byte of the response (what the API costs); the client's JSON.parse is reported apart.
    const tree = async () => {
      const res = await call("GET", `/api/v1/projects/${id}/files`);
      body = await res.arrayBuffer();
    };
    const findPrintf = () => run("find", [dir, "-printf", "%P\t%y\t%s\t%T@\n"], { maxBuffer: 64 * 1024 * 1024 });
    const findPlain = () => run("find", [dir], { maxBuffer: 64 * 1024 * 1024 });
    await tree();
    await findPrintf();
    const apiTimes: number[] = [];
    const findTimes: number[] = [];
    const plainTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      apiTimes.push(await timed(tree));
      findTimes.push(await timed(findPrintf));
      plainTimes.push(await timed(findPlain));
    }
    const parseTimes: number[] = [];
    for (let i = 0; i < 5; i++)
      parseTimes.push(await timed(async () => (entries = (JSON.parse(new TextDecoder().decode(body)) as { data: unknown[] }).data.length)));
    const api = p50(apiTimes);
    const find = p50(findTimes);
    console.log(`tree of ${count} generated files (${entries} entries returned), p50 of ${RUNS} runs:`);
    console.log(`  GET /files (HTTP, JSON, ${(body.byteLength / 1024 / 1024).toFixed(1)} MiB)    ${ms(api)}   (+ client JSON.parse ${ms(p50(parseTimes))})`);
    console.log(`  find -printf path,type,size,mtime   ${ms(find)}   ratio API/find ${(api / find).toFixed(2)}x`);
    console.log(`  find (paths only)                   ${ms(p50(plainTimes))}   ratio API/find ${(api / p50(plainTimes)).toFixed(2)}x`);

    // 2. reading one file: the files API (fd-anchored walk) next to the bare path-based read it replaced,
    // in the same process, and the HTTP read p50.
    const rel = "pkg-3/mod-4/file-7.ts";
    const reads = 2000;
    const anchoredTimes: number[] = [];
    const pathTimes: number[] = [];
    for (let i = 0; i < reads; i++) {
      anchoredTimes.push(await timed(() => withAnchor(dir, rel, { followFinal: true }, (a) => readAt(a, 5 * 1024 * 1024, () => new Error("too large")))));
      pathTimes.push(
        await timed(async () => {
          const stat = await fs.promises.stat(path.join(dir, rel));
          if (stat.isFile()) await fs.promises.readFile(path.join(dir, rel));
        }),
      );
    }
    const httpTimes: number[] = [];
    for (let i = 0; i < 200; i++)
      httpTimes.push(await timed(async () => (await call("GET", `/api/v1/projects/${id}/files/content?path=${encodeURIComponent(rel)}`)).arrayBuffer()));
    const anchored = p50(anchoredTimes);
    const bare = p50(pathTimes);
    console.log(`reading ${rel} (depth 3), p50 of ${reads}:`);
    console.log(`  fd-anchored walk + read (Slipway)   ${ms(anchored)}`);
    console.log(`  stat + readFile by path (baseline)  ${ms(bare)}   ratio ${(anchored / bare).toFixed(2)}x`);
    console.log(`  GET /files/content over HTTP, p50 of 200: ${ms(p50(httpTimes))}   (the walk is ${((anchored / p50(httpTimes)) * 100).toFixed(1)}% of it)`);

    // 3. create per template, warm cache
    console.log(`project creation (POST /api/v1/projects), warm dependency cache, p50 of 5:`);
    for (const template of ["static", "node-api", "vite-react", "nextjs"]) {
      const cold = await timed(() => create(template)); // warms the cache if it was cold
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(await timed(() => create(template)));
      console.log(`  ${template.padEnd(11)} ${ms(p50(times))}   (first create this run: ${ms(cold)})`);
    }
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
