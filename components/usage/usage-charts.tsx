"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCost } from "@/lib/shared/format";
import type { UsageStats } from "@/lib/client/api-types";

const axis = { fontSize: 11, fill: "currentColor" };
const tooltipStyle = { contentStyle: { fontSize: 12, background: "var(--color-zinc-900)", border: "none", color: "white" } };

/** Tokens and cost per day (input, output, cost on a second axis). */
export function DailyChart({ stats }: { stats: UsageStats }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <AreaChart data={stats.by_day} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis dataKey="day" tick={axis} />
        <YAxis yAxisId="tokens" tick={axis} width={56} />
        <YAxis yAxisId="cost" orientation="right" tick={axis} width={56} tickFormatter={(v: number) => formatCost(v)} />
        <Tooltip {...tooltipStyle} formatter={(v, name) => (name === "Cost" ? formatCost(Number(v)) : Number(v).toLocaleString())} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Area
          yAxisId="tokens"
          type="monotone"
          dataKey="input_tokens"
          name="Input tokens"
          stackId="t"
          stroke="#6366f1"
          fill="#6366f1"
          fillOpacity={0.35}
          isAnimationActive={false}
        />
        <Area
          yAxisId="tokens"
          type="monotone"
          dataKey="output_tokens"
          name="Output tokens"
          stackId="t"
          stroke="#10b981"
          fill="#10b981"
          fillOpacity={0.35}
          isAnimationActive={false}
        />
        <Area yAxisId="cost" type="monotone" dataKey="cost_usd" name="Cost" stroke="#f59e0b" fill="none" isAnimationActive={false} />
      </AreaChart>
    </ResponsiveContainer>
  );
}

/** Horizontal bars of tokens and cost for each row (a model or a project). */
export function BreakdownChart({ rows }: { rows: Array<{ label: string; input_tokens: number; output_tokens: number; cost_usd: number }> }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 44 + 40)}>
      <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
        <XAxis type="number" tick={axis} />
        <YAxis type="category" dataKey="label" tick={axis} width={150} />
        <Tooltip {...tooltipStyle} formatter={(v) => Number(v).toLocaleString()} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="input_tokens" name="Input tokens" stackId="t" fill="#6366f1" isAnimationActive={false} />
        <Bar dataKey="output_tokens" name="Output tokens" stackId="t" fill="#10b981" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
