import type { ChatErrorCode, Evidence } from "@/lib/shared/chat-protocol";
import type { Project } from "@/prisma-free-db/queries/projects";
import type { SessionStream } from "./session-stream";

/** What starts a turn and what a finished turn reports: the contract between the turn (turn.ts) and the auto-fix loop. */
export interface TurnRequest {
  project: Project;
  userId: string;
  sessionId?: string | null;
  content: string;
  model?: string;
  /** Ids of uploaded images sent to the model with the text. */
  attachments?: string[];
  /** "plan": read-only tools, answered with a plan (lib/agent/plan-mode.ts). */
  mode?: "plan" | "build";
  /** Errors that reject the message (busy, budget, not configured…): sent to the requester only, seq null. */
  reject: (code: ChatErrorCode, message: string, extra?: Record<string, unknown>) => void;
  /** Called once the session is known, before its first frame, so the requester receives the stream. */
  attach: (stream: SessionStream) => void;
  /** An automatic fix-up turn (auto-fix.ts) and its loop. */
  autoFix?: AutoFixLoop;
  /** A lower token cap for this turn (what the auto-fix budget has left). */
  maxTokens?: number;
}

export interface AutoFixLoop {
  attempt: number;
  /** The loop generation when the user's message started it: any user action since moves it on. */
  generation: number;
  /** Tokens the fix-up turns used so far. */
  tokens: number;
  /** Fingerprints of errors there before the user's turn: never new. */
  baseline: ReadonlySet<string>;
  /** Fingerprints of the errors this attempt was asked to fix. */
  targeted: ReadonlySet<string>;
}

export interface TurnResult {
  sessionId: string;
  /** The turn's stored answer (its parts get the loop's stop reason). */
  messageId: string;
  model: string;
  status: "complete" | "cancelled" | "failed";
  evidence: Evidence | null;
  tokens: number;
  /** For a user's turn: the errors known before it started. */
  baseline: ReadonlySet<string>;
}
