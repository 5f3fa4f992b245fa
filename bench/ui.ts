/**
 * npm run bench:ui — the browser IDE on the production build, in real Chromium, each figure next to a
 * baseline measured in the same run:
 *
 * 1. Workbench time to interactive: navigation start → file tree rendered and chat input enabled (median of 5
 *    loads), next to the same for the static /docs page's load event.
 * 2. JavaScript sent before the editor opens: the scripts a fresh workbench load fetches, gzipped (gzip -6 of
 *    each body, so the figure does not depend on the server's compression), and whether anything of Monaco was
 *    requested; then what opening the editor adds. Baseline: the sign-in page's scripts.
 * 3. A 2,000-file tree scrolled through at 40 px per frame: frame intervals (p50/p95/max) and frames over
 *    25 ms, next to the same scroll of a plain static 2,000-row list.
 * 4. A ~5,000-token answer streamed from the scripted LLM: frame intervals while it renders, next to an idle
 *    period of the same page.
 *
 * Needs a production build in NEXT_DIST_DIR (default .next), the Docker engine and /usr/bin/chromium.
 */
import { gzipSync } from "node:zlib";
import { zipSync, strToU8 } from "fflate";
import type { Page } from "playwright-core";
import { reply, startScriptedLlm, text } from "../tests/fixtures/scripted-llm/server";
import { removeInstanceContainers } from "../tests/containers/support";
import { startServer } from "../tests/helpers/server";
import { launchBrowser, signInLocally } from "../tests/e2e/support";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

function frameSummary(intervals: number[]) {
  return {
    p50: pct(intervals, 50),
    p95: pct(intervals, 95),
    max: Math.max(...intervals),
    over25: intervals.filter((i) => i > 25).length,
    frames: intervals.length,
  };
}
const frameLine = (f: ReturnType<typeof frameSummary>) => `p50 ${ms(f.p50)}, p95 ${ms(f.p95)}, max ${ms(f.max)}, frames > 25 ms: ${f.over25}/${f.frames}`;

// Page functions are passed as source text: tsx's transform would add helpers (__name) the page lacks.

/** Scrolls `selector` by 40 px per animation frame to the bottom; returns the frame intervals. */
async function scrollFrames(page: Page, selector: string): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const out = [];
    let last = performance.now();
    requestAnimationFrame(function step(t) {
      out.push(t - last);
      last = t;
      el.scrollTop += 40;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 || out.length > 1500) resolve(out.slice(1));
      else requestAnimationFrame(step);
    });
  })`);
}

/** Records animation-frame intervals until the expression `until` is truthy in the page or `maxMs` passes. */
async function recordFrames(page: Page, until: string, maxMs: number): Promise<number[]> {
  return page.evaluate(`new Promise((resolve) => {
    const out = [];
    const start = performance.now();
    let last = start;
    requestAnimationFrame(function step(t) {
      out.push(t - last);
      last = t;
      if (t - start > ${maxMs} || (${until || "false"})) resolve(out.slice(1));
      else requestAnimationFrame(step);
    });
  })`);
}

function essay(tokens: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < tokens; i++) {
    const block =
      i % 4 === 3
        ? `\`\`\`ts\nexport function step${i}(x: number) {\n  return x * ${i} + 1;\n}\n\`\`\`\n\n`
        : i % 4 === 2
          ? `- item **${i}** with a [link](https://example.com/${i})\n- another item with \`code ${i}\`\n- a third item\n\n`
          : `Paragraph ${i}: the agent explains what it changed and why, in plain words, so the reader can follow along with the edit. `.repeat(2) + "\n\n";
    parts.push(block);
    n += block.length / 4;
  }
  return parts.join("");
}

async function main() {
  const llm = await startScriptedLlm();
  const server = await startServer({
    env: { LLM_PROVIDER: "openai-compatible", OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: "sk-bench", MODEL_NAME: "gpt-4o-mini", LOG_LEVEL: "warn" },
  });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInLocally(page, server.url, "bench");
    const create = async (name: string) =>
      ((await (await page.request.post(`${server.url}/api/v1/projects`, { data: { name, template: "static" } })).json()) as { data: { id: string } }).data.id;
    const projectId = await create("bench");
    await page.request.post(`${server.url}/api/v1/projects/${projectId}/container/start`, { timeout: 120_000 });
    const state = await context.storageState();

    // 1. Time to interactive (fresh context each load: nothing cached).
    const tti: number[] = [];
    const docs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, storageState: state });
      const p = await ctx.newPage();
      await p.goto(`${server.url}/projects/${projectId}`, { waitUntil: "commit" });
      await p.locator('[data-testid="tree-row"]').first().waitFor();
      await p.locator('[data-testid="chat-input"]:enabled').waitFor();
      tti.push(await p.evaluate("performance.now()"));
      if (i === 0) {
        const detail = await p.evaluate(`JSON.stringify({
          ttfb: performance.getEntriesByType("navigation")[0].responseStart,
          dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
          api: performance.getEntriesByType("resource").filter((r) => r.name.includes("/api/v1/")).map((r) => [r.name.replace(/^.*\\/api\\/v1/, "").slice(0, 60), Math.round(r.startTime), Math.round(r.responseEnd)]),
        })`);
        console.log("first load:", detail);
      }
      await p.goto(`${server.url}/docs`, { waitUntil: "load" });
      docs.push(await p.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd));
      await ctx.close();
    }

    // 2. JavaScript before the editor opens, and what opening it adds.
    const scripts = async (url: string, ready?: (p: Page) => Promise<void>, open?: (p: Page) => Promise<void>) => {
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, storageState: state });
      const p = await ctx.newPage();
      const seen: Array<{ url: string; gz: number; wire: number }> = [];
      const pending: Promise<void>[] = [];
      p.on("response", (r) => {
        if (r.request().resourceType() !== "script") return;
        pending.push(
          (async () => {
            const body = await r.body().catch(() => Buffer.alloc(0));
            const sizes = await r
              .request()
              .sizes()
              .catch(() => ({ responseBodySize: 0, responseHeadersSize: 0 }));
            seen.push({ url: r.url(), gz: gzipSync(body, { level: 6 }).length, wire: sizes.responseBodySize + sizes.responseHeadersSize });
          })(),
        );
      });
      // Not "networkidle": the workbench keeps the container's log stream open.
      await p.goto(url, { waitUntil: "load" });
      await ready?.(p);
      await p.waitForTimeout(1500);
      await Promise.all(pending);
      const before = [...seen];
      let after: typeof seen = [];
      if (open) {
        await open(p);
        await p.waitForTimeout(1500);
        await Promise.all(pending);
        after = seen.slice(before.length);
      }
      await ctx.close();
      return { before, after };
    };
    const workbenchReady = async (p: Page) => {
      await p.locator('[data-testid="tree-row"]').first().waitFor();
      await p.locator('[data-testid="preview-frame"]').waitFor({ timeout: 60_000 });
    };
    const wb = await scripts(`${server.url}/projects/${projectId}`, workbenchReady, async (p) => {
      await p.locator('[data-testid="tree-row"][data-path="index.html"]').click();
      await p.locator('[data-testid="monaco-editor"] .view-lines').waitFor();
    });
    const signin = await scripts(`${server.url}/signin`);
    const sum = (xs: Array<{ gz: number }>) => xs.reduce((a, x) => a + x.gz, 0);
    const wire = (xs: Array<{ wire: number }>) => xs.reduce((a, x) => a + x.wire, 0);
    const monacoBefore = wb.before.filter((s) => s.url.includes("/monaco/")).length;

    // 3. A 2,000-file tree.
    const treeProject = await create("bench-tree");
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 2000; i++) files[`file-${String(i).padStart(4, "0")}.txt`] = strToU8(`file ${i}\n`);
    const imported = await page.request.post(`${server.url}/api/v1/projects/${treeProject}/import`, {
      multipart: { file: { name: "files.zip", mimeType: "application/zip", buffer: Buffer.from(zipSync(files)) } },
      timeout: 120_000,
    });
    if (!imported.ok()) throw new Error(`import failed: ${imported.status()} ${await imported.text()}`);
    await page.goto(`${server.url}/projects/${treeProject}`);
    await page.locator('[data-testid="tree-row"][data-path="file-0000.txt"]').waitFor({ timeout: 60_000 });
    const rowsInDom = await page.locator('[data-testid="tree-row"]').count();
    const treeFrames = frameSummary(await scrollFrames(page, '[data-testid="file-tree-scroll"]'));
    const plain = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await plain.setContent(
      `<div id="list" style="height:700px;width:240px;overflow:auto;font:14px sans-serif">${Array.from({ length: 2000 }, (_, i) => `<div style="height:24px">file-${i}.txt</div>`).join("")}</div>`,
    );
    const plainFrames = frameSummary(await scrollFrames(plain, "#list"));
    await plain.close();

    // 4. A ~5,000-token streamed answer.
    const answer = essay(5000);
    llm.enqueue(reply([text(answer)], { prompt: 800, completion: 5000 }, { textChunkChars: 4, chunkDelayMs: 1 }));
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.locator('[data-testid="chat-input"]:enabled').waitFor();
    const idleFrames = frameSummary(await recordFrames(page, "", 3000));
    await page.getByTestId("chat-input").fill("Explain everything at length");
    const started = Date.now();
    const recording = recordFrames(page, `document.querySelector('[data-testid="assistant-message"][data-status="complete"]')`, 120_000);
    await page.getByTestId("chat-send").click();
    const streamFrames = frameSummary(await recording);
    const streamSeconds = (Date.now() - started) / 1000;

    console.log("\nbench:ui — Chromium", browser.version(), "against the production build\n");
    console.log(`1. Workbench time to interactive (tree + chat input), median of 5: ${ms(median(tti))} (runs: ${tti.map((t) => t.toFixed(0)).join(", ")})`);
    console.log(`   baseline /docs load event, median of 5: ${ms(median(docs))} → ratio ${(median(tti) / median(docs)).toFixed(2)}`);
    console.log(
      `2. JS before the editor opens: ${kb(sum(wb.before))} gzipped in ${wb.before.length} scripts (on the wire: ${kb(wire(wb.before))}); Monaco requests before opening: ${monacoBefore}`,
    );
    console.log(
      `   opening the editor adds ${kb(sum(wb.after))} gzipped in ${wb.after.length} scripts (${wb.after.filter((s) => s.url.includes("/monaco/")).length} from /monaco/)`,
    );
    console.log(
      `   baseline sign-in page: ${kb(sum(signin.before))} gzipped in ${signin.before.length} scripts → ratio ${(sum(wb.before) / sum(signin.before)).toFixed(2)}`,
    );
    console.log(`3. 2,000-file tree scroll (${rowsInDom} rows in the DOM): ${frameLine(treeFrames)}`);
    console.log(`   baseline plain 2,000-row list:  ${frameLine(plainFrames)} → p95 ratio ${(treeFrames.p95 / plainFrames.p95).toFixed(2)}`);
    console.log(`4. ~5,000-token answer (${answer.length} chars, streamed in ${streamSeconds.toFixed(1)} s): ${frameLine(streamFrames)}`);
    console.log(`   baseline idle page:             ${frameLine(idleFrames)} → p95 ratio ${(streamFrames.p95 / idleFrames.p95).toFixed(2)}`);
  } finally {
    await browser.close();
    await server.stop();
    await removeInstanceContainers(server.dataDir);
    await llm.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
