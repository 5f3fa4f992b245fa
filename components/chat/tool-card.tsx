"use client";

import type { ToolBlock } from "@/lib/client/chat-state";

type Input = {
  path?: string;
  content?: string;
  search?: string;
  replace?: string;
  old_string?: string;
  new_string?: string;
  command?: string;
  from?: string;
  to?: string;
};

function summary(b: ToolBlock): string {
  const i = (b.input ?? {}) as Input;
  if (i.command) return `$ ${i.command}`;
  if (i.from && i.to) return `${i.from} → ${i.to}`;
  return i.path ?? "";
}

function outputText(output: unknown): string {
  if (output == null) return "";
  if (typeof output === "string") return output;
  const o = output as { stdout?: string; stderr?: string; output?: string; exit_code?: number; error?: string };
  if (o.output !== undefined || o.stdout !== undefined)
    return [o.output ?? o.stdout, o.stderr, o.exit_code !== undefined ? `exit code ${o.exit_code}` : ""].filter(Boolean).join("\n");
  if (o.error) return o.error;
  return JSON.stringify(output, null, 2);
}

function DiffLines({ removed, added }: { removed?: string; added?: string }) {
  return (
    <pre className="overflow-x-auto text-xs leading-5" data-testid="tool-diff">
      {removed?.split("\n").map((l, i) => (
        <div key={`r${i}`} className="bg-red-50 text-red-800 dark:bg-red-950/60 dark:text-red-300">
          - {l}
        </div>
      ))}
      {added?.split("\n").map((l, i) => (
        <div key={`a${i}`} className="bg-emerald-50 text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300">
          + {l}
        </div>
      ))}
    </pre>
  );
}

/** A collapsible card for one tool call: edits show their diff, commands their output. */
export function ToolCard({ block }: { block: ToolBlock }) {
  const i = (block.input ?? {}) as Input;
  const pending = block.ok === undefined;
  const search = i.search ?? i.old_string;
  const replace = i.replace ?? i.new_string;
  const out = outputText(block.output);
  return (
    <details className="my-1 rounded-md border border-zinc-200 text-xs dark:border-zinc-700" data-testid="tool-card" data-tool={block.tool}>
      <summary className="flex cursor-pointer items-center gap-2 px-2 py-1.5 select-none">
        <span aria-hidden className={pending ? "animate-pulse text-amber-500" : block.ok ? "text-emerald-600" : "text-red-600"}>
          ●
        </span>
        <span className="font-mono font-medium">{block.tool}</span>
        <span className="truncate font-mono text-zinc-500">{summary(block)}</span>
        <span className="sr-only">{pending ? "running" : block.ok ? "succeeded" : "failed"}</span>
      </summary>
      <div className="max-h-72 overflow-auto border-t border-zinc-200 p-2 dark:border-zinc-700">
        {search !== undefined || replace !== undefined ? (
          <DiffLines removed={search} added={replace} />
        ) : i.content !== undefined ? (
          <DiffLines added={i.content} />
        ) : null}
        {out && !(block.ok && (search !== undefined || i.content !== undefined)) && (
          <pre className="font-mono text-xs whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{out}</pre>
        )}
      </div>
    </details>
  );
}
