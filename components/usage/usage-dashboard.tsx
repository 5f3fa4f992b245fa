"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import { formatCost } from "@/lib/shared/format";
import type { UsageStats } from "@/lib/client/api-types";
import { ErrorBanner } from "../ui/error-banner";
import { BreakdownChart, DailyChart } from "./usage-charts";

const ranges = [
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
];

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="text-xs text-zinc-500">{label}</div>
      <div className="text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function Table({ rows }: { rows: Array<UsageStats["totals"] & { label: string }> }) {
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs text-zinc-500">
        <tr>
          <th className="py-1 font-medium"></th>
          <th className="py-1 text-right font-medium">Calls</th>
          <th className="py-1 text-right font-medium">Input</th>
          <th className="py-1 text-right font-medium">Output</th>
          <th className="py-1 text-right font-medium">Cost</th>
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {rows.map((r) => (
          <tr key={r.label} className="border-t border-zinc-200 dark:border-zinc-800">
            <td className="py-1">{r.label}</td>
            <td className="py-1 text-right">{r.calls.toLocaleString()}</td>
            <td className="py-1 text-right">{r.input_tokens.toLocaleString()}</td>
            <td className="py-1 text-right">{r.output_tokens.toLocaleString()}</td>
            <td className="py-1 text-right">{formatCost(r.cost_usd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Tokens and cost over time, per model and per project, with totals (GET /api/v1/tokens/stats). */
export function UsageDashboard() {
  const [days, setDays] = useState(30);
  const [stats, setStats] = useState<UsageStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    api
      .get<UsageStats>("/tokens/stats", { since })
      .then((s) => {
        setStats(s);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [days]);

  const models = stats?.by_model.map((m) => ({ ...m, label: m.model })) ?? [];
  const projects = stats?.by_project.map((p) => ({ ...p, label: p.project_name ?? "(deleted project)" })) ?? [];
  return (
    <main className="mx-auto flex w-full max-w-5xl flex-col gap-6 p-6" data-testid="usage">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Usage</h1>
        <div role="group" aria-label="Time range" className="flex gap-1">
          {ranges.map((r) => (
            <button
              key={r.days}
              type="button"
              aria-pressed={days === r.days}
              onClick={() => setDays(r.days)}
              className="rounded-md border border-zinc-300 px-2 py-1 text-xs aria-pressed:bg-zinc-900 aria-pressed:text-white dark:border-zinc-700 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <ErrorBanner message={error} />
      {!stats && !error && <p className="text-sm text-zinc-500">Loading usage…</p>}
      {stats && (
        <>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Stat label="Total tokens" value={stats.totals.total_tokens.toLocaleString()} testId="usage-total-tokens" />
            <Stat label="Input / output" value={`${stats.totals.input_tokens.toLocaleString()} / ${stats.totals.output_tokens.toLocaleString()}`} />
            <Stat label="Cost" value={formatCost(stats.totals.cost_usd)} testId="usage-total-cost" />
            <Stat label="LLM calls" value={stats.totals.calls.toLocaleString()} />
          </div>
          {stats.totals.calls === 0 ? (
            <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700">
              No LLM calls in this period. Chat with the agent in a project and its tokens and cost show up here.
            </p>
          ) : (
            <>
              <section aria-labelledby="daily-h">
                <h2 id="daily-h" className="mb-2 font-medium">
                  Per day
                </h2>
                <DailyChart stats={stats} />
              </section>
              <div className="grid gap-6 lg:grid-cols-2">
                <section aria-labelledby="model-h" data-testid="usage-by-model">
                  <h2 id="model-h" className="mb-2 font-medium">
                    Per model
                  </h2>
                  <BreakdownChart rows={models} />
                  <Table rows={models} />
                </section>
                <section aria-labelledby="project-h" data-testid="usage-by-project">
                  <h2 id="project-h" className="mb-2 font-medium">
                    Per project
                  </h2>
                  <BreakdownChart rows={projects} />
                  <Table rows={projects} />
                </section>
              </div>
            </>
          )}
        </>
      )}
    </main>
  );
}
