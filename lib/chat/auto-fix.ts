import { env } from "@/lib/env";
import { readProjectFile } from "@/lib/files/service";
import { log } from "@/lib/log";
import { listPreviewErrors } from "@/lib/preview/errors";
import type { AutoFixStopReason, EvidenceError } from "@/lib/shared/chat-protocol";
import { previewErrorsPrompt } from "@/lib/shared/preview-error-prompt";
import { getDb } from "@/prisma-free-db/client";
import { appendMessagePart } from "@/prisma-free-db/queries/chat-writes";
import { getOwnedProject } from "@/prisma-free-db/queries/projects";
import { lastEvidence, loopGeneration } from "./auto-fix-state";
import { sessionStream } from "./session-stream";
import type { AutoFixLoop, TurnRequest, TurnResult } from "./turn-request";

/**
 * The fix loop: after a turn that changed files leaves errors in the preview that were not there before it, an
 * automatic follow-up turn in the same session asks the agent to fix them ("Auto-fix 1/2"), at most
 * MAX_ATTEMPTS per user message, when the project's `auto_fix` is on. The breaker stops it early when an error it
 * asked to fix comes back, when the fix-up turns spent AUTO_FIX_MAX_TOKENS, or when the user sends anything; a
 * `status` frame (`auto_fix_stopped`, with the reason) says why it ended.
 */

export const MAX_ATTEMPTS = 2;
const fixLog = log.child({ module: "auto-fix" });

/** The errors known before a turn: the preview's reported ones and those the last evidence saw. */
export function errorsBefore(projectId: string): Set<string> {
  return new Set([...listPreviewErrors(projectId).map((e) => e.id), ...lastEvidence(projectId)]);
}

const stopMessages: Record<AutoFixStopReason, string> = {
  fixed: "Auto-fix: the preview shows no errors now.",
  attempts_used: `Auto-fix stopped: errors remain after ${MAX_ATTEMPTS} attempts.`,
  same_error: "Auto-fix stopped: the same error came back after a fix attempt.",
  token_budget: "Auto-fix stopped: its token budget (AUTO_FIX_MAX_TOKENS) is used up.",
  user_message: "Auto-fix stopped: you sent a message.",
  cancelled: "Auto-fix stopped: cancelled.",
  turn_failed: "Auto-fix stopped: the fix-up turn failed.",
  no_preview: "Auto-fix stopped: the preview is not running, so the fix could not be checked.",
};

/** Says why the loop ended, live and on the last answer's stored parts (a reload shows it too). */
async function announceStop(req: TurnRequest, result: TurnResult, reason: AutoFixStopReason, attempts: number): Promise<void> {
  const { sessionId, messageId } = result;
  fixLog.info("auto-fix stopped", { project_id: req.project.id, session_id: sessionId, reason, attempts });
  const content = stopMessages[reason];
  sessionStream(sessionId).emit({
    type: "status",
    content,
    session_id: sessionId,
    project_id: req.project.id,
    metadata: { state: "auto_fix_stopped", reason, attempts },
  });
  await appendMessagePart(await getDb(), { id: messageId, projectId: req.project.id, part: { type: "auto_fix_stopped", reason, attempts, text: content } });
}

async function fixPrompt(projectId: string, errors: EvidenceError[], attempt: number): Promise<string> {
  const n = errors.length === 1 ? "a new error" : `${errors.length} new errors`;
  const intro = `Auto-fix ${attempt}/${MAX_ATTEMPTS}: after your last change the preview shows ${n} in the browser. Find the cause and fix ${errors.length === 1 ? "it" : "them"}, then check the preview again.`;
  const readText = async (file: string) => {
    const f = await readProjectFile(projectId, file, { maxBytes: 512 * 1024 });
    return f.binary ? undefined : f.content;
  };
  return previewErrorsPrompt(errors, readText, intro);
}

/** What follows a turn: nothing, a stop (with its reason), or the next fix-up turn. */
async function decide(req: TurnRequest, result: TurnResult): Promise<{ stop: AutoFixStopReason } | { loop: AutoFixLoop; errors: EvidenceError[] } | null> {
  const loop = req.autoFix;
  const budget = env().AUTO_FIX_MAX_TOKENS;
  if (!loop) {
    if (result.status !== "complete" || !result.evidence || budget === 0) return null;
    const fresh = result.evidence.errors.filter((e) => !result.baseline.has(e.fingerprint));
    if (fresh.length === 0) return null;
    const project = await getOwnedProject(await getDb(), { id: req.project.id, ownerId: req.userId });
    if (!project?.auto_fix) return null;
    const next: AutoFixLoop = {
      attempt: 1,
      generation: loopGeneration(req.project.id),
      tokens: 0,
      baseline: result.baseline,
      targeted: new Set(fresh.map((e) => e.fingerprint)),
    };
    return { loop: next, errors: fresh };
  }
  const tokens = loop.tokens + result.tokens;
  if (loopGeneration(req.project.id) !== loop.generation) return { stop: "user_message" };
  if (result.status === "cancelled") return { stop: "cancelled" };
  if (result.status === "failed") return { stop: "turn_failed" };
  if (!result.evidence) return { stop: "no_preview" };
  const remaining = result.evidence.errors.filter((e) => !loop.baseline.has(e.fingerprint));
  if (remaining.length === 0) return { stop: "fixed" };
  if (remaining.some((e) => loop.targeted.has(e.fingerprint))) return { stop: "same_error" };
  if (loop.attempt >= MAX_ATTEMPTS) return { stop: "attempts_used" };
  if (tokens >= budget) return { stop: "token_budget" };
  return { loop: { ...loop, attempt: loop.attempt + 1, tokens, targeted: new Set(remaining.map((e) => e.fingerprint)) }, errors: remaining };
}

type StartTurn = (req: TurnRequest) => Promise<{ sessionId: string; done: Promise<void> } | null>;

/** Runs after every turn (its slot released): starts the next fix-up turn or says why the loop ended. */
export async function continueAutoFix(req: TurnRequest, result: TurnResult, startTurn: StartTurn): Promise<void> {
  const decision = await decide(req, result);
  if (!decision) return;
  const attempts = req.autoFix?.attempt ?? 0;
  if ("stop" in decision) return announceStop(req, result, decision.stop, attempts);
  const { loop, errors } = decision;
  if (loopGeneration(req.project.id) !== loop.generation) return announceStop(req, result, "user_message", attempts);
  const left = env().AUTO_FIX_MAX_TOKENS - loop.tokens;
  await startTurn({
    project: req.project,
    userId: req.userId,
    sessionId: result.sessionId,
    content: await fixPrompt(req.project.id, errors, loop.attempt),
    model: result.model,
    autoFix: loop,
    maxTokens: left,
    reject: (code) =>
      void announceStop(req, result, code === "busy" ? "user_message" : "turn_failed", attempts).catch((error: unknown) =>
        fixLog.error("storing why auto-fix stopped failed", { project_id: req.project.id, error }),
      ),
    attach: () => undefined, // the session's tabs follow its stream already
  });
}
