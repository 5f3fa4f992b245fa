/**
 * npm run bench:first-run — prompt-first start: from `POST /api/v1/projects` with a prompt to the preview serving
 * the agent's change, for `static` and `vite-react`, next to a same-run baseline.
 *
 * Slipway: POST with the prompt (the scripted model answers at once with one write_file, then a short text), then
 * the preview URL (through Slipway's proxy, with the owner's preview cookie) is polled until it serves the
 * written marker. That covers project creation, the container start, the agent turn and the preview proxy.
 * Baseline: a raw engine run of the same image, mount and dev command (create + start + poll the published port
 * until it answers 200), i.e. the least any product can do to show a page of that template. It runs on the project's
 * folder with the dev server's caches written by the project's own start removed (Vite's node_modules/.vite), so it
 * starts as cold as the project did.
 * Ratio = Slipway ÷ baseline (medians of BENCH_RUNS, default 3).
 *
 * BENCH_TEMPLATES (default static,vite-react) picks the templates. Needs a production build in NEXT_DIST_DIR and a Docker engine. vite-react needs its template cache (installed on
 * first use through the npm registry; the warm-up run pays for it).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { startScriptedLlm, reply, text, toolCall, type ScriptedLlm } from "../tests/fixtures/scripted-llm/server";
import { apiKeyFor } from "../tests/helpers/auth";
import { startServer, type TestServer } from "../tests/helpers/server";
import { api, docker, instanceContainers, previewCookie, previewHost, removeInstanceContainers, type Auth } from "../tests/containers/support";
import { rawDockerRun } from "./docker-baseline";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Where the agent writes and where the preview shows it, per template. */
const targets = {
  static: {
    prompt: "A simple HTML page that shows the marker",
    file: "index.html",
    url: "/",
    content: (marker: string) => `<!doctype html><html><head><title>First run</title></head><body><h1>${marker}</h1></body></html>\n`,
  },
  "vite-react": {
    prompt: "A React app that shows the marker",
    file: "src/App.jsx",
    url: "/src/App.jsx",
    content: (marker: string) => `export default function App() {\n  return <h1>${marker}</h1>;\n}\n`,
  },
} as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

function get(server: TestServer, slug: string, urlPath: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, path: urlPath, headers: { host: previewHost(server, slug), cookie } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The first request waits for the dev server's readiness; later polls are quick.
    req.setTimeout(180_000, () => req.destroy(new Error("preview request timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** One prompt-first start, timed from the POST to the preview serving the agent's change. */
async function firstRun(server: TestServer, llm: ScriptedLlm, alice: Auth, template: keyof typeof targets): Promise<{ ms: number; projectId: string }> {
  const target = targets[template];
  const marker = `first-run-${template}-${Date.now()}`;
  llm.enqueue(reply([toolCall("write_file", { path: target.file, content: target.content(marker) })]), reply([text("Done.")]));
  const t0 = performance.now();
  const created = await api<{ id: string; slug: string; session_id: string }>(server, alice, "POST", "/api/v1/projects", { prompt: target.prompt, template });
  if (created.status !== 201) throw new Error(`create ${template}: ${created.status} ${created.text.slice(0, 300)}`);
  const { id, slug } = created.json.data;
  const cookie = await previewCookie(server, alice, id, slug);
  for (;;) {
    const res = await get(server, slug, target.url, cookie);
    if (res.status === 200 && res.body.includes(marker)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ms: performance.now() - t0, projectId: id };
}

async function main() {
  const llm = await startScriptedLlm();
  const server = await startServer({
    env: {
      LOG_LEVEL: "warn",
      LLM_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: "sk-bench",
      MODEL_NAME: "gpt-4o-mini",
      TEMPLATE_CACHE_DIR: path.resolve("node_modules/.cache/slipway-template-cache"),
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    },
  });
  try {
    const alice = await apiKeyFor(server.url, "alice");
    console.log(`prompt-first start benchmark (${RUNS} runs per template after one warm-up)\n`);
    for (const template of (process.env.BENCH_TEMPLATES ?? "static,vite-react").split(",") as Array<keyof typeof targets>) {
      // Warm-up: the first start may build the base image or fill the template cache.
      const warm = await firstRun(server, llm, alice, template);
      await api(server, alice, "DELETE", `/api/v1/projects/${warm.projectId}`);
      const slipway: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await firstRun(server, llm, alice, template);
        slipway.push(run.ms);
        // The baseline runs the project's own container spec, alone: the project's container is stopped first.
        const [c] = (await instanceContainers(server.dataDir)).filter((x) => x.Labels["slipway.project"] === run.projectId);
        const spec = await docker.getContainer(c!.Id).inspect();
        await api(server, alice, "POST", `/api/v1/projects/${run.projectId}/container/stop`);
        // Cold like the project's own first start: without the dependency cache Vite wrote during it.
        fs.rmSync(path.join(server.dataDir, "projects", run.projectId, "node_modules", ".vite"), { recursive: true, force: true });
        raw.push(await rawDockerRun(spec));
        await api(server, alice, "DELETE", `/api/v1/projects/${run.projectId}`);
      }
      const ratio = median(slipway) / median(raw);
      console.log(
        `${template}: POST with a prompt → preview serves the agent's change ${fmt(median(slipway))} (runs ${slipway.map(fmt).join(", ")}); ` +
          `raw docker run + dev server answering ${fmt(median(raw))} (runs ${raw.map(fmt).join(", ")}); ratio ${ratio.toFixed(2)}`,
      );
    }
  } finally {
    await removeInstanceContainers(server.dataDir);
    await server.stop();
    await llm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
