const tone = {
  good: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  busy: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  bad: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  idle: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  accent: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
} as const;

const toneOf = (state: string): keyof typeof tone => {
  const s = state.toLowerCase();
  if (s === "ready") return "good";
  if (s === "failed" || s === "error") return "bad";
  if (s === "canceled") return "idle";
  return "busy";
};

/** A deployment's state (Slipway's lowercase states and Vercel's uppercase ones) as a coloured pill. */
export function DeployStateBadge({ state, testId = "deploy-state" }: { state: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-state={state.toLowerCase()}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tone[toneOf(state)]}`}
    >
      {state.toLowerCase()}
    </span>
  );
}

export function Pill({ children, accent = false, testId }: { children: React.ReactNode; accent?: boolean; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tone[accent ? "accent" : "idle"]}`}>
      {children}
    </span>
  );
}

export const shortSha = (sha: string | null | undefined) => (sha ? sha.slice(0, 7) : "—");

/** Vercel answers with bare host names. */
export const withScheme = (url: string) => (/^https?:\/\//.test(url) ? url : `https://${url}`);
