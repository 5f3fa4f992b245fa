import { singleton } from "@/lib/shared/singleton";

/**
 * The turn running on each project (one at a time: the agent edits the project's files). One map per process, so the
 * REST cancel route (a Next route bundle) and the sockets (server.ts) see the same turns.
 */
export interface ActiveTurn {
  /** An agent turn, or an undo restoring the files (short, and not cancellable: a half-done restore helps no one). */
  kind: "agent" | "undo";
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

const turns = () => singleton("activeTurns", () => new Map<string, ActiveTurn>());

/** Reserves the project for a turn or an undo; `busy` when either is already running (see busyMessage). */
export function reserveTurn(
  projectId: string,
  userId: string,
  kind: ActiveTurn["kind"] = "agent",
): { turn: ActiveTurn; finish: () => void } | { busy: ActiveTurn } {
  const existing = turns().get(projectId);
  if (existing) return { busy: existing };
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const turn: ActiveTurn = { kind, projectId, userId, sessionId: null, controller: new AbortController(), done };
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

/** What a request that found the project busy is told: what holds it, and what to wait for. */
export function busyMessage(busy: ActiveTurn, wanted: "send" | "undo"): string {
  if (busy.kind === "undo") return `An undo is restoring this project's files. ${wanted === "send" ? "Send" : "Undo"} again in a moment.`;
  return wanted === "send"
    ? "A turn is already running on this project. Cancel it or wait for its completion frame, then send again."
    : "A turn is running on this project: cancel it or wait for it to finish, then undo";
}

/** Aborts an agent turn (upstream request and running exec share its signal). True when one was running. */
export function cancelTurn(turn: ActiveTurn | undefined): boolean {
  if (!turn || turn.kind !== "agent" || turn.controller.signal.aborted) return false;
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
