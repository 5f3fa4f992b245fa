"use client";

import { useState } from "react";
import type { PreviewError } from "@/lib/client/api-types";
import { Button } from "../ui/button";

/** "N errors in preview": a button in the preview bar that opens the list, with Fix with AI and Clear. */
export function PreviewErrors({ errors, onFix, onClear }: { errors: PreviewError[]; onFix: () => void; onClear: () => void }) {
  const [open, setOpen] = useState(false);
  if (errors.length === 0) return null;
  return (
    <div className="relative">
      <Button size="sm" variant="danger" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="preview-errors-badge">
        {errors.length} {errors.length === 1 ? "error" : "errors"} in preview
      </Button>
      {open && (
        <div
          role="dialog"
          aria-label="Preview errors"
          data-testid="preview-errors-list"
          className="absolute right-0 z-20 mt-1 flex max-h-96 w-96 flex-col gap-2 overflow-auto rounded-md border border-zinc-200 bg-white p-2 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <ul className="flex flex-col gap-1">
            {errors.map((e) => (
              <li key={e.id} className="rounded bg-red-50 p-1.5 dark:bg-red-950/40" data-testid="preview-error">
                <p className="font-mono break-words text-red-800 dark:text-red-300">{e.message}</p>
                <p className="text-zinc-500">
                  {e.file ? `${e.file}${e.line ? `:${e.line}` : ""}` : e.kind}
                  {e.count > 1 ? ` · ${e.count}×` : ""}
                </p>
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <Button
              size="sm"
              variant="primary"
              data-testid="preview-errors-fix"
              onClick={() => {
                setOpen(false);
                onFix();
              }}
            >
              Fix with AI
            </Button>
            <Button size="sm" onClick={onClear}>
              Clear
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
