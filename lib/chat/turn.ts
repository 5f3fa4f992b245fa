import { randomUUID } from "node:crypto";
import { appEnvNames } from "@/lib/app-env/service";
import { buildTools } from "@/lib/agent/tools";
import { runAgent, type AgentOutcome, type AgentRun } from "@/lib/agent/run-agent";
import { projectOverview } from "@/lib/agent/overview";
import { PLAN_MODE_PROMPT, PLAN_MODE_REFUSAL, planModeTools } from "@/lib/agent/plan-mode";
import { systemPrompt } from "@/lib/agent/system-prompt";
import { env } from "@/lib/env";
import { capabilitiesOf } from "@/lib/llm/prices";
import { languageModel } from "@/lib/llm/language-model";
import { chooseModel } from "@/lib/llm/providers";
import { resolveProviderFor, type UserResolution } from "@/lib/llm/resolve-for-user";
import { log, type Logger } from "@/lib/log";
import type { ChatErrorCode } from "@/lib/shared/chat-protocol";
import { getDb, type Database } from "@/prisma-free-db/client";
import { getOwnedChatSession, insertChatSession, setSessionSummary } from "@/prisma-free-db/queries/chat-sessions";
import { insertChatMessage, type NewChatMessage } from "@/prisma-free-db/queries/chat-writes";
import { setProjectLastModel, type Project } from "@/prisma-free-db/queries/projects";
import { projectTotals } from "@/prisma-free-db/queries/token-usage";
import { cachedTokenBudget } from "@/lib/usage/budget-cache";
import { busyMessage, reserveTurn, SERVER_STOPPED_NOTE, type ActiveTurn } from "./active-turns";
import { checkpointAfterTurn, checkpointBeforeTurn } from "./checkpoints";
import { fitHistory, promptBudget, summarySection } from "./compaction";
import { historyEntry, loadSessionHistory, MAX_HISTORY_MESSAGES, userText } from "./history";
import type { HistoryEntry, SessionHistory } from "./session-history";
import { journalUserMessage } from "./message-journal";
import { startSlot } from "./start-pacing";
import { imagePart, loadTurnImages, type TurnImage } from "./images";
import { existingSessionStream, sessionStream, type SessionStream } from "./session-stream";
import { MAX_ATTEMPTS as AUTO_FIX_ATTEMPTS, continueAutoFix, errorsBefore } from "./auto-fix";
import type { TurnRequest, TurnResult } from "./turn-request";
import { turnEvidence } from "./turn-evidence";
import { turnFrames, type EmitFrame } from "./turn-frames";
import { turnUsage } from "./turn-usage";

const chatLog = log.child({ module: "chat" });

export function sessionTitle(content: string): string {
  const line = content.trim().split("\n")[0]!.trim() || "Image";
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/**
 * Accepts a user message and runs the agent's turn. Returns once the message is accepted or rejected; the turn
 * itself continues in the background and ends with exactly one `completion` frame.
 */
export async function startTurn(req: TurnRequest): Promise<{ sessionId: string; done: Promise<void> } | null> {
  const { project, userId } = req;
  const reservation = reserveTurn(project.id, userId);
  if ("busy" in reservation) {
    req.reject("busy", busyMessage(reservation.busy, "send"), {
      active_session_id: reservation.busy.sessionId ?? undefined,
      busy_with: reservation.busy.kind,
    });
    return null;
  }
  const { turn, finish } = reservation;
  let accepted: Accepted;
  try {
    await startSlot();
    const result = await accept(req, turn);
    if (!result) {
      finish();
      return null;
    }
    accepted = result;
  } catch (error) {
    finish();
    chatLog.error("accepting a message failed", { project_id: project.id, error });
    req.reject("internal", "Internal error: the message was not accepted.");
    return null;
  }
  const baseline = req.autoFix ? req.autoFix.baseline : errorsBefore(project.id);
  const done = runTurn(req, turn, accepted)
    .catch((error: unknown) => void chatLog.error("turn failed", { project_id: project.id, session_id: accepted.session.id, error }))
    .finally(finish)
    .then((result) => result && continueAutoFix(req, { ...result, baseline }, startTurn))
    .catch((error: unknown) => chatLog.error("auto-fix failed", { project_id: project.id, session_id: accepted.session.id, error }));
  return { sessionId: accepted.session.id, done };
}

/**
 * The provider and model a turn would run with, or why no turn can run (the `llm_not_configured` message). Also
 * asked before a prompt-first project is created, so a refused prompt leaves no project behind.
 */
export async function turnModel(userId: string, requested?: string): Promise<{ provider: Accepted["provider"]; model: string } | { refusal: string }> {
  const provider = await resolveProviderFor(userId, requested);
  if (!provider.ok) return { refusal: provider.message };
  const model = await chooseModel(provider.config, requested);
  if (!model) {
    const fix = provider.keySource === "user" ? "pick a model in the chat" : "set MODEL_NAME";
    return { refusal: `No model chosen for ${provider.config.provider}: ${fix} (the provider's /models list was empty or unreachable).` };
  }
  return { provider, model };
}

interface Accepted {
  session: { id: string };
  stream: SessionStream;
  provider: UserResolution & { ok: true };
  model: string;
  /** Earlier messages of the session (read before this one is stored). */
  history: SessionHistory;
  /** The user message's id and time (stored by `announce`). */
  userMessage: { id: string; createdAt: string };
  /** Stores the user message and sends `message_received`; returns the insert (awaited before the turn ends). */
  announce: () => Promise<void>;
  /** The images the message carries, read before anything goes upstream. */
  images: TurnImage[];
  budgetLeft: number | null;
}

async function accept(req: TurnRequest, turn: ActiveTurn): Promise<Accepted | null> {
  const db = await getDb();
  const { project, userId } = req;
  let session: { id: string } | undefined;
  let history: SessionHistory = { summary: null, entries: [] };
  if (req.sessionId) {
    const known = existingSessionStream(req.sessionId)?.memory;
    if (known && known.userId === userId && known.projectId === project.id) {
      session = { id: req.sessionId };
      history = { summary: known.history.summary, entries: [...known.history.entries] };
    } else {
      const row = await getOwnedChatSession(db, { id: req.sessionId, userId });
      if (!row || row.project_id !== project.id) {
        req.reject("not_found", "Chat session not found in this project");
        return null;
      }
      session = row;
      history = await loadSessionHistory(db, row.id);
    }
  }
  const budget = await cachedTokenBudget(db, project.id);
  let budgetLeft: number | null = null;
  if (budget !== null) {
    const used = (await projectTotals(db, { projectId: project.id, userId })).total_tokens;
    budgetLeft = budget - used;
    if (budgetLeft <= 0) {
      req.reject(
        "budget_exceeded",
        `This project's token budget is used up (${used} of ${budget} tokens). Raise it with PUT /api/v1/tokens/project/${project.id}/budget.`,
      );
      return null;
    }
  }
  const resolved = await turnModel(userId, req.model);
  if ("refusal" in resolved) {
    req.reject("llm_not_configured", resolved.refusal);
    return null;
  }
  const { provider, model } = resolved;
  const loaded = await loadTurnImages({ projectId: project.id, userId, ids: req.attachments ?? [], model, provider: provider.config.provider });
  if (!("images" in loaded)) {
    req.reject(loaded.code, loaded.message, loaded.extra);
    return null;
  }
  const { images } = loaded;
  if (req.model) rememberModel(project, req.model);
  session ??= await insertChatSession(db, { id: randomUUID(), projectId: project.id, userId, title: sessionTitle(req.content) });
  turn.sessionId = session.id;
  const stream = sessionStream(session.id);
  stream.memory ??= { projectId: project.id, userId, history };
  req.attach(stream);
  const userMessageId = randomUUID();
  const createdAt = new Date().toISOString();
  const announce = () => {
    const message: NewChatMessage = {
      id: userMessageId,
      sessionId: session.id,
      projectId: project.id,
      userId,
      role: "user",
      content: req.content,
      parts: [...images.map((i) => imagePart(i.info)), ...(req.autoFix ? [{ type: "auto_fix", attempt: req.autoFix.attempt, of: AUTO_FIX_ATTEMPTS }] : [])],
      status: "complete",
      model: null,
      createdAt,
      ...(req.mode === "plan" ? { mode: "plan" as const } : {}),
    };
    // Journaled before it is acknowledged: the row may still be gathering when the server is killed.
    const stored = journalUserMessage(message);
    const write = insertChatMessage(db, message).finally(stored);
    write.catch(() => undefined); // awaited (and reported) when the turn ends
    stream.emit({
      type: "message_received",
      content: req.content,
      session_id: session.id,
      project_id: project.id,
      metadata: {
        message_id: userMessageId,
        created_at: createdAt,
        model,
        ...(images.length > 0 ? { attachments: images.map((i) => i.info) } : {}),
        ...(req.autoFix ? { auto_fix: { attempt: req.autoFix.attempt, of: AUTO_FIX_ATTEMPTS } } : {}),
        ...(req.mode === "plan" ? { mode: "plan" as const } : {}),
      },
    });
    return write;
  };
  return { session, stream, provider, model, history, userMessage: { id: userMessageId, createdAt }, announce, images, budgetLeft };
}

/** The project's `last_model` (the chat's picker starts with it); written without holding up the turn. */
function rememberModel(project: Project, model: string): void {
  if (project.last_model === model) return;
  project.last_model = model;
  void getDb()
    .then((db) => setProjectLastModel(db, { id: project.id, model }))
    .catch((error: unknown) => chatLog.error("remembering the project's model failed", { project_id: project.id, error }));
}

async function turnSystemPrompt(project: Project, plan: boolean): Promise<string> {
  const [envNames, overview] = await Promise.all([appEnvNames(project.id), projectOverview(project)]);
  return systemPrompt({ projectName: project.name, template: project.template, envNames, overview }) + (plan ? PLAN_MODE_PROMPT : "");
}

async function runTurn(req: TurnRequest, turn: ActiveTurn, a: Accepted): Promise<Omit<TurnResult, "baseline">> {
  const db = await getDb();
  const { project, userId } = req;
  const { emit, emitText } = turnFrames(a.stream, a.session.id, project.id);
  // The user message is stored and acknowledged once the first request to the model is on its way, not before:
  // that work then overlaps the provider's latency instead of adding to the time to the first token.
  let userMessageWrite: Promise<void> | null = null;
  const announce = () => (userMessageWrite ??= a.announce());
  const turnLog = chatLog.child({ project_id: project.id, session_id: a.session.id, user_id: userId });
  const changedFiles = new Set<string>();
  // The assistant message's id is known up front so usage rows name it when written (no update at the end).
  const messageId = randomUUID();
  const turnStartedAt = new Date().toISOString();
  const usage = turnUsage(db, {
    message_id: messageId,
    user_id: userId,
    project_id: project.id,
    session_id: a.session.id,
    provider: a.provider.config.provider,
    key_source: a.provider.keySource,
    model: a.model,
  });
  // Taken before the turn's first change only (git is too slow for every turn's path to the first token).
  let checkpointBeforePromise: Promise<string | null> | null = null;
  const plan = req.mode === "plan";
  const allTools = buildTools({
    projectId: project.id,
    userId,
    sessionId: a.session.id,
    signal: turn.controller.signal,
    changedFiles,
    status: (state, tool) =>
      emit({ type: "status", content: state === "running_tool" ? `Running ${tool}` : "Waiting for the preview", metadata: { state, tool } }),
    log: turnLog,
    beforeChange: plan
      ? () => Promise.reject(new Error(PLAN_MODE_REFUSAL))
      : () => (checkpointBeforePromise ??= checkpointBeforeTurn(project.id, req.content)).then(() => undefined),
  });
  const userMessage: HistoryEntry = historyEntry({
    id: a.userMessage.id,
    role: "user",
    content: req.content,
    parts: a.images.map((i) => imagePart(i.info)),
    created_at: a.userMessage.createdAt,
    undone: false,
    mode: req.mode,
  }) ?? { id: a.userMessage.id, role: "user", content: req.content, at: a.userMessage.createdAt, tokens: 0 };

  const ran = await askAgent(req, turn, a, {
    db,
    tools: plan ? planModeTools(allTools) : allTools,
    userMessage,
    announce,
    emit,
    emitText,
    recordUsage: usage.record,
    log: turnLog,
  });
  const userWrite = announce(); // if the agent failed before its first request
  const { outcome, status } = settle(ran.outcome, turn, emit, turnLog);

  const checkpointBefore = checkpointBeforePromise ? await checkpointBeforePromise : null;
  const [checkpointAfter, evidence] = await Promise.all([
    changedFiles.size > 0 ? checkpointAfterTurn(project.id, req.content) : null,
    status === "cancelled" || (changedFiles.size === 0 && !req.autoFix)
      ? null
      : turnEvidence({ projectId: project.id, messageId, since: turnStartedAt, signal: turn.controller.signal, emit }),
  ]);
  const mode = plan ? ({ mode: "plan" } as const) : {};
  // The answer is inserted before the earlier rows are awaited, so all of them can share one write (InsertBatch).
  const answerAt = new Date().toISOString();
  const answerWrite = insertChatMessage(db, {
    id: messageId,
    sessionId: a.session.id,
    projectId: project.id,
    userId,
    role: "assistant",
    content: outcome.text,
    parts: evidence ? [...outcome.parts, { type: "evidence", ...evidence }] : outcome.parts,
    status,
    model: a.model,
    checkpointBefore,
    checkpointAfter,
    createdAt: answerAt,
    ...mode,
  });
  answerWrite.catch(() => undefined); // awaited below, after the rows inserted before it
  await userWrite.catch((error: unknown) => turnLog.error("storing the user message failed", { error }));
  await usage.written().catch((error: unknown) => turnLog.error("recording token usage failed", { error }));
  await answerWrite;
  const answer = historyEntry({
    id: messageId,
    role: "assistant",
    content: outcome.text,
    parts: outcome.parts,
    created_at: answerAt,
    undone: false,
    mode: req.mode,
  });
  // The same bound as a read from the database (loadSessionHistory); the budget usually compacts long before.
  a.stream.memory!.history = {
    summary: ran.history.summary,
    entries: [...ran.history.entries, userMessage, ...(answer ? [answer] : [])].slice(-MAX_HISTORY_MESSAGES),
  };
  emit({
    type: "completion",
    content: outcome.text,
    metadata: {
      message_id: messageId,
      status,
      stop_reason: outcome.stopReason,
      model: a.model,
      provider: a.provider.config.provider,
      steps: outcome.steps,
      usage: outcome.usage,
      cost_usd: usage.costUsd(),
      files_changed: [...changedFiles].sort(),
      checkpoint_before: checkpointBefore,
      checkpoint_after: checkpointAfter,
      ...(evidence ? { evidence } : {}),
      ...(req.autoFix ? { auto_fix: { attempt: req.autoFix.attempt, of: AUTO_FIX_ATTEMPTS } } : {}),
      ...mode,
    },
  });
  turnLog.info("turn finished", { status, stop_reason: outcome.stopReason, steps: outcome.steps, ...outcome.usage, cost_usd: usage.costUsd() });
  return { sessionId: a.session.id, messageId, model: a.model, status, evidence, tokens: outcome.usage.total_tokens };
}

/**
 * Asks the model: the system prompt, the session's history (older turns summarised first when the prompt would not
 * fit the model's budget, lib/chat/compaction.ts), the user message, then the agent's steps with their frames. A
 * crash is an outcome like any other (one failed completion), never a turn without an end.
 */
async function askAgent(
  req: TurnRequest,
  turn: ActiveTurn,
  a: Accepted,
  t: {
    db: Database;
    tools: AgentRun["tools"];
    userMessage: HistoryEntry;
    announce: () => void;
    emit: EmitFrame;
    emitText: (delta: string, step: number, more: boolean) => void;
    recordUsage: (step: number, model: string, usage: AgentOutcome["usage"]) => void;
    log: Logger;
  },
): Promise<{ outcome: AgentOutcome; history: SessionHistory }> {
  const e = env();
  let history = a.history;
  try {
    const model = languageModel(a.provider.config, a.model);
    const system = await turnSystemPrompt(req.project, req.mode === "plan");
    history = await fitHistory({
      history: a.history,
      fixedText: system + t.userMessage.content,
      call: { model, signal: turn.controller.signal, idleTimeoutMs: e.LLM_CHUNK_TIMEOUT_MS, budget: promptBudget(a.model) },
      compacting: () => {
        t.announce();
        t.emit({ type: "status", content: "Summarising earlier messages", metadata: { state: "summarizing" } });
      },
      store: (summary) => setSessionSummary(t.db, { sessionId: a.session.id, ...summary }),
      record: (usage, modelId) => t.recordUsage(0, modelId, usage),
      warn: (message, fields) => t.log.warn(message, fields),
    });
    const messages: AgentRun["messages"] = [
      ...history.entries,
      { role: "user", content: userText(req.content, req.mode), images: a.images.map((i) => ({ mime: i.info.mime, data: i.data })) },
    ];
    const outcome = await runAgent(
      {
        model,
        idleTimeoutMs: e.LLM_CHUNK_TIMEOUT_MS,
        system: system + summarySection(history.summary),
        messages,
        tools: t.tools,
        signal: turn.controller.signal,
        maxSteps: e.AGENT_MAX_STEPS,
        maxTokens: Math.max(1, Math.min(e.AGENT_MAX_TOKENS_PER_TURN, a.budgetLeft ?? Infinity, req.maxTokens ?? Infinity)),
        vision: capabilitiesOf(a.model).vision === true,
      },
      {
        thinking: (step) => {
          t.announce();
          t.emit({ type: "status", content: "Thinking", metadata: { state: "thinking", step } });
        },
        text: t.emitText,
        toolCall: (c) => t.emit({ type: "tool_call", content: c.tool, metadata: { tool_call_id: c.id, tool: c.tool, input: c.input, step: c.step } }),
        toolResult: (r) =>
          t.emit({
            type: "tool_result",
            content: r.ok ? `${r.tool} done` : `${r.tool} failed`,
            metadata: { tool_call_id: r.id, tool: r.tool, ok: r.ok, output: r.output, step: r.step },
          }),
        stepFinished: async ({ step, model, usage }) => t.recordUsage(step, model, usage),
      },
    );
    return { outcome, history };
  } catch (error) {
    t.log.error("agent crashed", { error });
    const outcome: AgentOutcome = {
      text: "",
      parts: [],
      steps: 0,
      usage: { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 },
      stopReason: "error",
      error: { code: "provider_error", message: "The agent failed unexpectedly." },
    };
    return { outcome, history };
  }
}

/**
 * The turn's final status, and its error frame when it failed. A turn the server's shutdown stopped (not the user's
 * cancel) is stored as failed, with a note the user (and the model, next turn) reads.
 */
function settle(ran: AgentOutcome, turn: ActiveTurn, emit: EmitFrame, turnLog: Logger): { outcome: AgentOutcome; status: "complete" | "cancelled" | "failed" } {
  let outcome = ran;
  let failure: { code: ChatErrorCode; message: string } | undefined = outcome.error;
  if (turn.stoppedByShutdown) {
    const note = outcome.text.trim() ? `\n\n${SERVER_STOPPED_NOTE}` : SERVER_STOPPED_NOTE;
    outcome = { ...outcome, text: outcome.text + note, parts: [...outcome.parts, { type: "text", text: note }], stopReason: "error" };
    failure = { code: "internal", message: SERVER_STOPPED_NOTE };
  }
  if (failure) {
    turnLog.warn("turn failed", { code: failure.code });
    emit({ type: "error", content: failure.message, metadata: { code: failure.code } });
  }
  return { outcome, status: outcome.stopReason === "cancelled" ? "cancelled" : outcome.stopReason === "error" ? "failed" : "complete" };
}
