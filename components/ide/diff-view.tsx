"use client";

import { useEffect, useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { filesApi } from "@/lib/client/files-api";
import { ErrorBanner } from "../ui/error-banner";

function lineClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) return "font-semibold text-zinc-500";
  if (line.startsWith("@@")) return "text-sky-700 dark:text-sky-400";
  if (line.startsWith("+")) return "bg-emerald-50 text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300";
  if (line.startsWith("-")) return "bg-red-50 text-red-800 dark:bg-red-950/60 dark:text-red-300";
  return "";
}

/** A unified diff between two checkpoints (GET …/diff?from=&to=), coloured line by line. */
export function DiffView({ projectId, from, to }: { projectId: string; from: string; to?: string | null }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    filesApi
      .diff(projectId, from, to ?? undefined)
      .then((t) => {
        // The route may answer JSON ({data: {diff}}) or plain text.
        try {
          const body = JSON.parse(t) as { data?: { diff?: string } | string };
          setText(typeof body.data === "string" ? body.data : (body.data?.diff ?? t));
        } catch {
          setText(t);
        }
      })
      .catch((e) => setError(errorMessage(e)));
  }, [projectId, from, to]);
  return (
    <div className="max-h-[60vh] overflow-auto rounded border border-zinc-200 dark:border-zinc-800" data-testid="turn-diff">
      <ErrorBanner message={error} />
      {text === null && !error && <p className="p-3 text-sm text-zinc-500">Loading diff…</p>}
      {text === "" && <p className="p-3 text-sm text-zinc-500">No changes.</p>}
      {text && (
        <pre className="font-mono text-xs leading-5">
          {text.split("\n").map((l, i) => (
            <div key={i} className={`px-2 ${lineClass(l)}`}>
              {l || " "}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
