/**
 * The turn running on each project (one at a time: the agent edits the project's files). On globalThis so the
 * REST cancel route (a Next route bundle) and the sockets (server.ts) see the same turns.
 */
export interface ActiveTurn {
  projectId: string;
  userId: string;
  /** Null while the turn is still being set up (session not yet known). */
  sessionId: string | null;
  controller: AbortController;
  /** Resolves when the turn has ended and its message is stored. */
  done: Promise<void>;
  /** Set when the server stopped the turn because it is shutting down (not the user's cancel). */
  stoppedByShutdown?: boolean;
}

const globalForTurns = globalThis as unknown as { slipwayActiveTurns?: Map<string, ActiveTurn> };
const turns = () => (globalForTurns.slipwayActiveTurns ??= new Map());

/** Reserves the project for a turn; undefined when one is already running (the caller answers `busy`). */
export function reserveTurn(projectId: string, userId: string): { turn: ActiveTurn; finish: () => void } | { busy: ActiveTurn } {
  const existing = turns().get(projectId);
  if (existing) return { busy: existing };
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const turn: ActiveTurn = { projectId, userId, sessionId: null, controller: new AbortController(), done };
  turns().set(projectId, turn);
  return {
    turn,
    finish: () => {
      if (turns().get(projectId) === turn) turns().delete(projectId);
      finish();
    },
  };
}

export function activeTurnOfProject(projectId: string): ActiveTurn | undefined {
  return turns().get(projectId);
}

export function activeTurnOfSession(sessionId: string): ActiveTurn | undefined {
  for (const turn of turns().values()) if (turn.sessionId === sessionId) return turn;
  return undefined;
}

/** Aborts the turn (upstream request and running exec share its signal). True when one was running. */
export function cancelTurn(turn: ActiveTurn | undefined): boolean {
  if (!turn || turn.controller.signal.aborted) return false;
  turn.controller.abort(new DOMException("cancelled by the user", "AbortError"));
  return true;
}

/** What an answer the server stopped (a shutdown, or a crash found at the next start) says about it. */
export const SERVER_STOPPED_NOTE = "The server stopped during this turn, so it did not finish. Send the request again to continue.";

/**
 * Stops every running turn because the server is shutting down, and waits (at most `timeoutMs`) until each has
 * stored its message, marked failed with a note. Returns how many were running.
 */
export async function stopAllTurns(timeoutMs: number): Promise<number> {
  const running = [...turns().values()];
  for (const turn of running) {
    turn.stoppedByShutdown = true;
    turn.controller.abort(new DOMException("the server is shutting down", "AbortError"));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(running.map((t) => t.done)), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  return running.length;
}
