/**
 * npm run eval — runs the scenarios of eval/scenarios/ end to end through Slipway (the production server, a project
 * per scenario, the prompt on the chat WebSocket, then checks on the files, the preview in headless Chromium and
 * commands in the container) and prints a table per scenario and model. See README "Measuring the agent".
 */
import { openSockets } from "./lib/chat-turn";
import { parseEvalArgs, USAGE } from "./lib/args";
import { startHarness, type Harness } from "./lib/harness";
import { formatTable, passRates, writeReport, type EvalReport } from "./lib/report";
import { runScenario, type RunResult } from "./lib/run-scenario";
import { scenarios } from "./scenarios";
import type { Scenario } from "./types";

/** How long one agent turn may take: a scripted one answers at once; a real model may take many steps. */
const TURN_TIMEOUT_MS = { scripted: 180_000, model: 900_000 };

/** Runs `jobs` with at most `limit` at a time, starting none once `stopped()`; results of those run, in the jobs' order. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number, stopped: () => boolean): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !stopped()) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results.filter((r) => r !== undefined);
}

function selected(only: string[]): Scenario[] {
  if (only.length === 0) return scenarios;
  const unknown = only.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")}; there are: ${scenarios.map((s) => s.name).join(", ")}`);
  return scenarios.filter((s) => only.includes(s.name));
}

async function main(): Promise<number> {
  const args = parseEvalArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const chosen = selected(args.only);
  const startedAt = new Date();
  const t0 = performance.now();
  const mode = args.scripted ? "scripted" : "model";
  console.log(
    `npm run eval: ${chosen.length} scenario(s), ${args.scripted ? "scripted model" : args.models.length ? `models ${args.models.join(", ")}` : "the server's model"}, ${args.concurrency} at a time`,
  );

  // Set as soon as the harness starts anything, so an interrupt during start-up cleans up too.
  let cleanUp: (() => Promise<void>) | undefined;
  let interrupted = false;
  let interruptedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl+C can arrive twice (from the terminal, and relayed by a parent such as npm): only a second one some
    // time later quits without cleaning up.
    if (interrupted) {
      if (Date.now() - interruptedAt > 3000) process.exit(130);
      return;
    }
    interrupted = true;
    interruptedAt = Date.now();
    console.error(`\n${signal}: stopping, deleting the eval's projects and containers (again to quit at once)`);
    for (const ws of openSockets) ws.close();
    void (cleanUp?.() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const h: Harness = await startHarness({ scenarios: chosen, scripted: args.scripted, onClose: (close) => (cleanUp = close) });
  try {
    const models: Array<{ model: string | undefined; label: string | undefined }> = args.scripted
      ? [{ model: undefined, label: "scripted" }]
      : args.models.length
        ? args.models.map((m) => ({ model: m, label: m }))
        : [{ model: undefined, label: undefined }];
    const jobs = chosen.flatMap((scenario) =>
      models.map(({ model, label }) => async (): Promise<RunResult> => {
        if (h.scripted) h.scripted.load(scenario);
        const result = await runScenario({
          slipway: h.slipway,
          browser: h.browser,
          scenario,
          model: h.scripted ? h.scripted.modelFor(scenario) : model,
          label,
          turnTimeoutMs: TURN_TIMEOUT_MS[mode],
          projects: h.projects,
        }).catch((error: unknown): RunResult => ({
          scenario: scenario.name,
          template: scenario.template,
          model: label ?? "default",
          pass: false,
          failed: `run: ${(error as Error).message.split("\n")[0]}`,
          checks: [],
          status: null,
          stop_reason: null,
          steps: null,
          tokens: null,
          cost_usd: null,
          turn_ms: 0,
          total_ms: 0,
          files_changed: [],
          page_retries: 0,
        }));
        console.log(`  ${result.pass ? "pass" : "FAIL"}  ${scenario.name} (${result.model})${result.failed ? `: ${result.failed}` : ""}`);
        return result;
      }),
    );
    const results = await pool(jobs, args.concurrency, () => interrupted);
    const wallMs = Math.round(performance.now() - t0);
    const report: EvalReport = {
      started_at: startedAt.toISOString(),
      mode,
      models: [...new Set(results.map((r) => r.model))],
      concurrency: args.concurrency,
      wall_ms: wallMs,
      pass_rate: passRates(results),
      results,
    };
    console.log(`\n${formatTable(results)}`);
    console.log(`\nwall time ${(wallMs / 1000).toFixed(1)} s; results in ${writeReport(report)}`);
    const failed = results.filter((r) => !r.pass).length;
    return args.scripted && failed > 0 ? 1 : 0;
  } finally {
    await h.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
