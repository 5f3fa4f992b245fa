import fs from "node:fs";
import path from "node:path";
import type { RunResult } from "./run-scenario";

export interface EvalReport {
  started_at: string;
  mode: "scripted" | "model";
  models: string[];
  concurrency: number;
  wall_ms: number;
  pass_rate: Record<string, { passed: number; total: number }>;
  results: RunResult[];
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const padStart = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function passRates(results: RunResult[]): EvalReport["pass_rate"] {
  const rates: EvalReport["pass_rate"] = {};
  for (const r of results) {
    const rate = (rates[r.model] ??= { passed: 0, total: 0 });
    rate.total++;
    if (r.pass) rate.passed++;
  }
  return rates;
}

/** The results as a text table: scenario × model, then the pass rate per model. */
export function formatTable(results: RunResult[], failureWidth = 70): string {
  const rows = results.map((r) => [
    r.scenario,
    r.model,
    r.pass ? "pass" : `FAIL ${cut(r.failed ?? "", failureWidth)}`,
    r.steps === null ? "-" : String(r.steps),
    r.tokens === null ? "-" : String(r.tokens.total),
    r.cost_usd === null ? "-" : `$${r.cost_usd.toFixed(4)}`,
    seconds(r.turn_ms),
    seconds(r.total_ms),
  ]);
  const header = ["scenario", "model", "result", "steps", "tokens", "cost", "turn", "total"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([3, 4, 5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? padStart(c, widths[i]!) : pad(c, widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), ""];
  for (const [model, rate] of Object.entries(passRates(results))) {
    const cost = results.filter((r) => r.model === model).reduce((sum, r) => sum + (r.cost_usd ?? 0), 0);
    out.push(`${model}: ${rate.passed}/${rate.total} passed (${Math.round((100 * rate.passed) / Math.max(rate.total, 1))}%), cost $${cost.toFixed(4)}`);
  }
  return out.join("\n");
}

/** Writes the report as eval/results/<timestamp>.json; returns its path. */
export function writeReport(report: EvalReport, dir = path.resolve("eval/results")): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.started_at.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
