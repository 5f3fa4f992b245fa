"use client";

import { useState } from "react";
import type { Evidence } from "@/lib/shared/chat-protocol";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";

function summary(e: Evidence): string {
  const status = e.preview_status === null ? "did not load" : e.preview_status >= 400 ? `HTTP ${e.preview_status}` : null;
  if (e.ok) return `Preview OK · no errors${e.mode === "http" ? " (HTML check only)" : ""}`;
  const n = e.errors.length;
  return `Preview: ${status ?? ""}${status && n > 0 ? " · " : ""}${n > 0 ? `${n} error${n > 1 ? "s" : ""}` : ""}`;
}

/** Under a finished answer: what the preview showed after the turn, its errors, and the screenshot (click to enlarge). */
export function EvidenceLine({ evidence }: { evidence: Evidence }) {
  const [open, setOpen] = useState(false);
  const tone = evidence.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400";
  return (
    <div className="flex items-start gap-2 text-xs" data-testid="turn-evidence" data-ok={evidence.ok}>
      {evidence.screenshot_url && (
        <button
          type="button"
          onClick={() => setOpen(true)}
          title="Show the preview screenshot"
          className="shrink-0 overflow-hidden rounded border border-zinc-300 dark:border-zinc-700"
        >
          {/* eslint-disable-next-line @next/next/no-img-element -- an API-served image at its own URL, not a static asset */}
          <img
            src={evidence.screenshot_url}
            alt="The preview after this turn"
            className="h-12 w-20 object-cover object-top"
            loading="lazy"
            data-testid="evidence-thumbnail"
          />
        </button>
      )}
      <div className="min-w-0">
        <p className={`font-medium ${tone}`} role={evidence.ok ? undefined : "alert"}>
          {summary(evidence)}
        </p>
        {evidence.errors.length > 0 && (
          <ul className="mt-0.5 list-disc pl-4 text-red-600 dark:text-red-400" data-testid="evidence-errors">
            {evidence.errors.slice(0, 5).map((e) => (
              <li key={e.fingerprint} className="break-words">
                {e.message}
                {e.file ? ` (${e.file}${e.line ? `:${e.line}` : ""})` : ""}
              </li>
            ))}
            {evidence.errors.length > 5 && <li>{evidence.errors.length - 5} more</li>}
          </ul>
        )}
      </div>
      {evidence.screenshot_url && (
        <Dialog open={open} onClose={() => setOpen(false)} title="The preview after this turn" testId="evidence-viewer" wide>
          {/* eslint-disable-next-line @next/next/no-img-element -- as above */}
          <img src={evidence.screenshot_url} alt="The preview after this turn" className="mx-auto max-h-[70vh] max-w-full object-contain" />
          <div className="flex justify-end">
            <Button onClick={() => setOpen(false)} autoFocus>
              Close
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
