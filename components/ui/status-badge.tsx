import type { ContainerState } from "@/lib/client/api-types";

const styles: Record<ContainerState, string> = {
  ready: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  starting: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  crashed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  stopped: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export function StatusBadge({ state }: { state: ContainerState | undefined }) {
  const s = state ?? "stopped";
  return (
    <span data-testid="status-badge" className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${styles[s]}`}>
      {s === "ready" ? "running" : s}
    </span>
  );
}
