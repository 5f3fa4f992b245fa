"use client";

import { useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";

/**
 * The project's auto-fix setting (PATCH /projects/{id} `auto_fix`): after a turn that leaves new errors in the
 * preview, Slipway sends up to two fix-up turns by itself.
 */
export function AutoFixToggle({ projectId, initial }: { projectId: string; initial: boolean | undefined }) {
  const [picked, setPicked] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const on = picked ?? initial ?? true;
  const change = (next: boolean) => {
    setPicked(next);
    setError(null);
    api.patch(`/projects/${projectId}`, { auto_fix: next }).catch((e: unknown) => {
      setPicked(!next);
      setError(errorMessage(e));
    });
  };
  return (
    <label
      className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400"
      title={error ?? "After a turn that leaves new errors in the preview, let the agent try to fix them (up to 2 automatic turns)"}
    >
      <input type="checkbox" checked={on} onChange={(e) => change(e.target.checked)} data-testid="auto-fix-toggle" />
      Auto-fix
    </label>
  );
}
