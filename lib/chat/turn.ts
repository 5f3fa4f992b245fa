import { randomUUID } from "node:crypto";
import type { ModelMessage } from "ai";
import { buildTools } from "@/lib/agent/tools";
import { runAgent, type AgentOutcome } from "@/lib/agent/run-agent";
import { systemPrompt } from "@/lib/agent/system-prompt";
import { env } from "@/lib/env";
import { costOf } from "@/lib/llm/prices";
import { chooseModel, languageModel, resolveProvider } from "@/lib/llm/providers";
import { log } from "@/lib/log";
import type { ChatErrorCode, ServerFrame } from "@/lib/shared/chat-protocol";
import { getDb } from "@/prisma-free-db/client";
import { getOwnedChatSession, insertChatSession, listSessionHistory, touchChatSession, type ChatSession } from "@/prisma-free-db/queries/chat-sessions";
import { insertChatMessage } from "@/prisma-free-db/queries/chat-writes";
import type { Project } from "@/prisma-free-db/queries/projects";
import { attachUsageToMessage, getTokenBudget, insertTokenUsage, projectTotals } from "@/prisma-free-db/queries/token-usage";
import { reserveTurn, type ActiveTurn } from "./active-turns";
import { checkpointAfterTurn, checkpointBeforeTurn } from "./checkpoints";
import { sessionStream, type SessionStream } from "./session-stream";

const chatLog = log.child({ module: "chat" });
const HISTORY_MESSAGES = 40;

export interface TurnRequest {
  project: Project;
  userId: string;
  sessionId?: string | null;
  content: string;
  model?: string;
  /** Errors that reject the message (busy, budget, not configured…): sent to the requester only, seq null. */
  reject: (code: ChatErrorCode, message: string, extra?: Record<string, unknown>) => void;
  /** Called once the session is known, before its first frame, so the requester receives the stream. */
  attach: (stream: SessionStream) => void;
}

export function sessionTitle(content: string): string {
  const line = content.trim().split("\n")[0]!.trim();
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
    req.reject("busy", "A turn is already running on this project. Cancel it or wait for its completion frame, then send again.", {
      active_session_id: reservation.busy.sessionId ?? undefined,
    });
    return null;
  }
  const { turn, finish } = reservation;
  let accepted: Accepted;
  try {
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
  const done = runTurn(req, turn, accepted)
    .catch((error: unknown) => chatLog.error("turn failed", { project_id: project.id, session_id: accepted.session.id, error }))
    .finally(finish);
  return { sessionId: accepted.session.id, done };
}

interface Accepted {
  session: ChatSession;
  stream: SessionStream;
  provider: Awaited<ReturnType<typeof resolveProvider>> & { ok: true };
  model: string;
  userMessageId: string;
  budgetLeft: number | null;
}

async function accept(req: TurnRequest, turn: ActiveTurn): Promise<Accepted | null> {
  const db = await getDb();
  const { project, userId } = req;
  let session: ChatSession | undefined;
  if (req.sessionId) {
    session = await getOwnedChatSession(db, { id: req.sessionId, userId });
    if (!session || session.project_id !== project.id) {
      req.reject("not_found", "Chat session not found in this project");
      return null;
    }
  }
  const budget = await getTokenBudget(db, { projectId: project.id });
  let budgetLeft: number | null = null;
  if (budget !== null) {
    const used = (await projectTotals(db, { projectId: project.id, userId })).total_tokens;
    budgetLeft = budget - used;
    if (budgetLeft <= 0) {
      req.reject("budget_exceeded", `This project's token budget is used up (${used} of ${budget} tokens). Raise it with PUT /api/v1/tokens/project/${project.id}/budget.`);
      return null;
    }
  }
  const provider = await resolveProvider();
  if (!provider.ok) {
    req.reject("llm_not_configured", provider.message);
    return null;
  }
  const model = await chooseModel(provider.config, req.model);
  if (!model) {
    req.reject("llm_not_configured", `No model chosen for ${provider.config.provider}: set MODEL_NAME (the provider's /models list was empty or unreachable).`);
    return null;
  }
  session ??= await insertChatSession(db, { id: randomUUID(), projectId: project.id, userId, title: sessionTitle(req.content) });
  turn.sessionId = session.id;
  const stream = sessionStream(session.id);
  req.attach(stream);
  const userMessageId = randomUUID();
  const { created_at } = await insertChatMessage(db, {
    id: userMessageId,
    sessionId: session.id,
    projectId: project.id,
    userId,
    role: "user",
    content: req.content,
    parts: [],
    status: "complete",
    model: null,
  });
  stream.emit({
    type: "message_received",
    content: req.content,
    session_id: session.id,
    project_id: project.id,
    metadata: { message_id: userMessageId, created_at, model },
  });
  return { session, stream, provider, model, userMessageId, budgetLeft };
}

async function runTurn(req: TurnRequest, turn: ActiveTurn, a: Accepted): Promise<void> {
  const db = await getDb();
  const e = env();
  const { project, userId } = req;
  const base = { session_id: a.session.id, project_id: project.id } as const;
  const emit = (frame: Omit<ServerFrame, "seq" | "session_id" | "project_id">) => a.stream.emit({ ...base, ...frame } as never);
  const turnLog = chatLog.child({ project_id: project.id, session_id: a.session.id, user_id: userId });
  const changedFiles = new Set<string>();
  const usageIds: string[] = [];
  let costUsd = 0;

  // Runs while the model starts answering; tools wait for it before they change anything.
  const checkpointBeforePromise = checkpointBeforeTurn(project.id, req.content);
  const history = await listSessionHistory(db, { sessionId: a.session.id, limit: HISTORY_MESSAGES });
  const messages: ModelMessage[] = history
    .filter((m) => m.content.trim() !== "")
    .map((m) => (m.role === "user" ? { role: "user", content: m.content } : { role: "assistant", content: m.content }));

  const tools = buildTools({
    projectId: project.id,
    userId,
    sessionId: a.session.id,
    signal: turn.controller.signal,
    changedFiles,
    status: (state, tool) => emit({ type: "status", content: state === "running_tool" ? `Running ${tool}` : "Waiting for the preview", metadata: { state, tool } }),
    log: turnLog,
    beforeChange: () => checkpointBeforePromise.then(() => undefined),
  });

  let outcome: AgentOutcome;
  try {
    outcome = await runAgent(
      {
        model: languageModel(a.provider.config, a.model, { idleTimeoutMs: e.LLM_CHUNK_TIMEOUT_MS }),
        system: systemPrompt({ projectName: project.name, template: project.template }),
        messages,
        tools,
        signal: turn.controller.signal,
        maxSteps: e.AGENT_MAX_STEPS,
        maxTokens: Math.max(1, Math.min(e.AGENT_MAX_TOKENS_PER_TURN, a.budgetLeft ?? Infinity)),
      },
      {
        thinking: (step) => emit({ type: "status", content: "Thinking", metadata: { state: "thinking", step } }),
        text: (delta, step) => emit({ type: "agent_response", content: delta, metadata: { step } }),
        toolCall: (c) => emit({ type: "tool_call", content: c.tool, metadata: { tool_call_id: c.id, tool: c.tool, input: c.input, step: c.step } }),
        toolResult: (r) =>
          emit({ type: "tool_result", content: r.ok ? `${r.tool} done` : `${r.tool} failed`, metadata: { tool_call_id: r.id, tool: r.tool, ok: r.ok, output: r.output, step: r.step } }),
        stepFinished: async ({ step, model, usage }) => {
          // Recorded even when the turn is later cancelled: the provider billed this call.
          const modelId = model || a.model;
          const { cost_usd } = costOf(modelId, usage);
          costUsd += cost_usd;
          const id = randomUUID();
          usageIds.push(id);
          await insertTokenUsage(db, {
            id,
            user_id: userId,
            project_id: project.id,
            session_id: a.session.id,
            provider: a.provider.config.provider,
            model: modelId,
            step,
            input_tokens: usage.input_tokens,
            output_tokens: usage.output_tokens,
            cached_tokens: usage.cached_tokens,
            cost_usd,
          });
        },
      },
    );
  } catch (error) {
    turnLog.error("agent crashed", { error });
    outcome = {
      text: "",
      parts: [],
      steps: 0,
      usage: { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 },
      stopReason: "error",
      error: { code: "provider_error", message: "The agent failed unexpectedly." },
    };
  }

  const status = outcome.stopReason === "cancelled" ? "cancelled" : outcome.stopReason === "error" ? "failed" : "complete";
  if (outcome.error) {
    turnLog.warn("turn failed", { code: outcome.error.code });
    emit({ type: "error", content: outcome.error.message, metadata: { code: outcome.error.code } });
  }
  const checkpointBefore = await checkpointBeforePromise;
  const checkpointAfter = changedFiles.size > 0 ? await checkpointAfterTurn(project.id, req.content) : null;
  const messageId = randomUUID();
  await insertChatMessage(db, {
    id: messageId,
    sessionId: a.session.id,
    projectId: project.id,
    userId,
    role: "assistant",
    content: outcome.text,
    parts: outcome.parts,
    status,
    model: a.model,
    checkpointBefore: changedFiles.size > 0 ? checkpointBefore : null,
    checkpointAfter,
  });
  await attachUsageToMessage(db, { ids: usageIds, messageId });
  await touchChatSession(db, { id: a.session.id });
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
      cost_usd: Math.round(costUsd * 1e10) / 1e10,
      files_changed: [...changedFiles].sort(),
      checkpoint_before: changedFiles.size > 0 ? checkpointBefore : null,
      checkpoint_after: checkpointAfter,
    },
  });
  turnLog.info("turn finished", { status, stop_reason: outcome.stopReason, steps: outcome.steps, ...outcome.usage, cost_usd: costUsd });
}
