import { singleton } from "@/lib/shared/singleton";

/**
 * What the automatic fix-up loop remembers per project between turns: a counter the user's actions move (any
 * user_message or cancel stops a running loop), and the error fingerprints the last evidence showed (errors that
 * were there before a turn are not new). In memory, one per process: the server's and the route bundles' copies share it.
 */
interface ProjectLoopState {
  generation: number;
  lastEvidence: Set<string>;
}

function state(projectId: string): ProjectLoopState {
  const all = singleton("autoFix", () => new Map<string, ProjectLoopState>());
  let s = all.get(projectId);
  if (!s) all.set(projectId, (s = { generation: 0, lastEvidence: new Set() }));
  return s;
}

/** The user sent something on the project: a running auto-fix loop stops at its next decision. */
export function userActed(projectId: string): void {
  state(projectId).generation += 1;
}

export const loopGeneration = (projectId: string) => state(projectId).generation;

export function rememberEvidence(projectId: string, fingerprints: string[]): void {
  state(projectId).lastEvidence = new Set(fingerprints);
}

export const lastEvidence = (projectId: string): ReadonlySet<string> => state(projectId).lastEvidence;
