import type { AttachmentInfo, Evidence, ServerFrame, Usage } from "@/lib/shared/chat-protocol";
import type { StoredMessage } from "./api-types";

/**
 * The chat panel's state as a pure reducer over server frames, so that live frames, replayed frames
 * after a reconnect and the stored conversation all end in the same picture.
 */

export interface ToolBlock {
  kind: "tool";
  id: string;
  tool: string;
  input: unknown;
  output?: unknown;
  ok?: boolean;
}

export type Block = { kind: "text"; text: string } | ToolBlock;

export interface ChatMessage {
  /** Stable React key; the server's message id once known. */
  key: string;
  id?: string;
  role: "user" | "assistant";
  /** For an answer built from live frames: the id of the user message it answers. */
  replyTo?: string;
  blocks: Block[];
  /** Images a user message carried. */
  attachments?: AttachmentInfo[];
  status: "sending" | "streaming" | "complete" | "cancelled" | "failed";
  model?: string;
  usage?: Usage;
  costUsd?: number;
  checkpointBefore?: string | null;
  checkpointAfter?: string | null;
  filesChanged?: string[];
  /** Set once the user undid this turn (or an earlier one, which took this one's changes with it). */
  undoneAt?: string | null;
  /** "plan": a plan-mode message, or its answer (a plan the user can build with the next turn). */
  mode?: "plan";
  error?: string;
  /** What the preview showed after this turn (a turn that changed files). */
  evidence?: Evidence;
  /** A message Slipway sent (or the answer to it) to fix the preview's errors: attempt of how many. */
  autoFix?: { attempt: number; of: number };
  /** Why the automatic fix-up turns that followed this answer stopped. */
  autoFixStopped?: string;
}

export interface ChatState {
  messages: ChatMessage[];
  sessionId: string | null;
  running: boolean;
  status: string | null;
  /** An error not tied to a message (busy, invalid frame, replay gap). */
  notice: string | null;
  /** The error code of the notice when it came from an error frame (the chat links `llm_not_configured` to Settings). */
  noticeCode?: string;
  /** Replayed frames of a turn the stored conversation already holds are skipped. */
  skipping: boolean;
}

export const initialChat: ChatState = { messages: [], sessionId: null, running: false, status: null, notice: null, skipping: false };

export const textOf = (m: ChatMessage) => m.blocks.map((b) => (b.kind === "text" ? b.text : "")).join("");

let localKeys = 0;
export function localUserMessage(content: string, model?: string, attachments: AttachmentInfo[] = [], mode?: "plan"): ChatMessage {
  return {
    key: `local-${++localKeys}`,
    role: "user",
    blocks: [{ kind: "text", text: content }],
    attachments,
    status: "sending",
    model,
    ...(mode ? { mode } : {}),
  };
}

function updateLast(state: ChatState, fn: (m: ChatMessage) => ChatMessage): ChatState {
  const i = state.messages.findLastIndex((m) => m.role === "assistant" && m.status === "streaming");
  if (i < 0) return state;
  const messages = state.messages.slice();
  messages[i] = fn(messages[i]!);
  return { ...state, messages };
}

function statusText(f: Extract<ServerFrame, { type: "status" }>): string | null {
  const m = f.metadata;
  switch (m.state) {
    case "thinking":
      return "Thinking…";
    case "running_tool":
      return `Running ${m.tool ?? "a tool"}…`;
    case "waiting_for_preview":
      return "Waiting for the preview…";
    case "checking_preview":
      return "Checking the preview…";
    case "container":
      return `Container ${m.container ?? "starting"}…`;
    case "cancelling":
      return "Cancelling…";
    case "summarizing":
      return "Summarising earlier messages…";
    default:
      return null;
  }
}

export function applyFrame(state: ChatState, f: ServerFrame): ChatState {
  if (state.skipping && f.seq != null && f.type !== "message_received") {
    return f.type === "completion" || (f.type === "error" && f.seq != null) ? { ...state, skipping: false } : state;
  }
  switch (f.type) {
    case "message_received": {
      const id = f.metadata.message_id;
      const known = state.messages.findIndex((m) => m.id === id);
      if (known >= 0) {
        // A replay after a reload: the stored conversation has this user message. If its answer is stored too,
        // the turn is over and its frames are skipped; otherwise the answer is still streaming: follow it.
        const next = state.messages[known + 1];
        if (next?.role === "assistant") return { ...state, skipping: next.status !== "streaming", sessionId: f.session_id };
        const messages = [
          ...state.messages,
          {
            key: `a-${id}`,
            replyTo: id,
            role: "assistant" as const,
            blocks: [],
            status: "streaming" as const,
            model: f.metadata.model,
            ...modeOf(f.metadata.mode),
          },
        ];
        return { ...state, messages, sessionId: f.session_id, running: true, status: "Thinking…", notice: null, skipping: false };
      }
      const messages = state.messages.slice();
      const pending = messages.findIndex((m) => m.role === "user" && m.status === "sending");
      if (pending >= 0) messages[pending] = { ...messages[pending]!, id, status: "complete" };
      else
        messages.push({
          key: id,
          id,
          role: "user",
          blocks: [{ kind: "text", text: f.content }],
          attachments: f.metadata.attachments ?? [],
          status: "complete",
          autoFix: f.metadata.auto_fix,
          ...modeOf(f.metadata.mode),
        });
      messages.push({ key: `a-${id}`, replyTo: id, role: "assistant", blocks: [], status: "streaming", model: f.metadata.model, ...modeOf(f.metadata.mode) });
      return { ...state, messages, sessionId: f.session_id, running: true, status: "Thinking…", notice: null, skipping: false };
    }
    case "status": {
      if (f.metadata.state === "resumed") return { ...state, running: f.metadata.turn_active ?? state.running };
      if (f.metadata.state === "auto_fix_stopped") {
        const i = state.messages.findLastIndex((m) => m.role === "assistant" && m.status !== "streaming");
        if (i < 0) return state;
        const messages = state.messages.slice();
        messages[i] = { ...messages[i]!, autoFixStopped: f.content };
        return { ...state, messages };
      }
      return { ...state, status: statusText(f) };
    }
    case "agent_response":
      return updateLast(state, (m) => {
        const blocks = m.blocks.slice();
        const last = blocks[blocks.length - 1];
        if (last?.kind === "text") blocks[blocks.length - 1] = { kind: "text", text: last.text + f.content };
        else blocks.push({ kind: "text", text: f.content });
        return { ...m, blocks };
      });
    case "tool_call":
      return updateLast(state, (m) => ({
        ...m,
        blocks: [...m.blocks, { kind: "tool", id: f.metadata.tool_call_id, tool: f.metadata.tool, input: f.metadata.input }],
      }));
    case "tool_result":
      return updateLast(state, (m) => ({
        ...m,
        blocks: m.blocks.map((b) => (b.kind === "tool" && b.id === f.metadata.tool_call_id ? { ...b, output: f.metadata.output, ok: f.metadata.ok } : b)),
      }));
    case "completion": {
      const md = f.metadata;
      if (state.messages.some((m) => m.id === md.message_id)) return { ...state, running: false, status: null };
      const next = updateLast(state, (m) => ({
        ...m,
        key: m.key,
        id: md.message_id,
        status: md.status,
        model: md.model,
        usage: md.usage,
        costUsd: md.cost_usd,
        checkpointBefore: md.checkpoint_before,
        checkpointAfter: md.checkpoint_after,
        filesChanged: md.files_changed,
        evidence: md.evidence,
        autoFix: md.auto_fix,
        ...modeOf(md.mode),
        error: m.error ?? (md.stop_reason !== "done" && md.stop_reason !== "cancelled" ? `Stopped: ${md.stop_reason.replace("_", " ")}` : undefined),
      }));
      return { ...next, running: false, status: null };
    }
    case "error": {
      // The server no longer has the session's frames (it restarted): the chat reloads the stored conversation
      // instead (useChat), where the turn has its end.
      if (f.metadata.code === "replay_gap") return state;
      const message = f.content || f.metadata.code;
      if (f.seq == null) {
        const messages = state.messages.map((m) => (m.status === "sending" ? { ...m, status: "failed" as const, error: message } : m));
        return { ...state, messages, notice: message, noticeCode: f.metadata.code };
      }
      const next = updateLast(state, (m) => ({ ...m, status: "failed", error: message }));
      return next === state
        ? { ...next, running: false, status: null, notice: message, noticeCode: f.metadata.code }
        : { ...next, running: false, status: null };
    }
    case "turn_undone": {
      const undone = new Set(f.metadata.message_ids);
      return { ...state, messages: state.messages.map((m) => (m.id && undone.has(m.id) ? { ...m, undoneAt: f.metadata.undone_at } : m)) };
    }
    default:
      return state;
  }
}

/**
 * Puts the stored conversation (oldest first) in front of what live frames built. After a reload the current turn
 * is replayed while the conversation is being fetched, so one turn can arrive both ways, in any interleaving. The
 * stored copy wins: a live message with a stored id is dropped, and so is a live answer to a user message whose
 * answer is stored; if that answer was still receiving replayed frames, the rest of them are skipped.
 */
export function withStored(state: ChatState, stored: ChatMessage[]): ChatState {
  const known = new Set(stored.map((m) => m.id));
  const answered = new Set(stored.filter((m, i) => m.role === "user" && stored[i + 1]?.role === "assistant").map((m) => m.id));
  let { skipping, running, status } = state;
  const live = state.messages.filter((m) => {
    if (m.id && known.has(m.id)) return false;
    if (!m.replyTo || !answered.has(m.replyTo)) return true;
    if (m.status === "streaming") [skipping, running, status] = [true, false, null];
    return false;
  });
  return { ...state, messages: [...stored, ...live], skipping, running, status };
}

/** Puts an older page of the stored conversation (oldest first) in front of the messages shown, each message once. */
export function withOlder(state: ChatState, older: ChatMessage[]): ChatState {
  const shown = new Set(state.messages.map((m) => m.id).filter(Boolean));
  return { ...state, messages: [...older.filter((m) => !m.id || !shown.has(m.id)), ...state.messages] };
}

/** A stored message (GET …/conversations); parts are text, tool_call and tool_result entries. */
/** A stored message as `fromStored` needs it (the conversations route's rows; the fields it does not read optional). */
type StoredMessageInput = Omit<StoredMessage, "created_at" | "undone_at" | "attachments" | "mode"> &
  Partial<Pick<StoredMessage, "created_at" | "undone_at" | "attachments" | "mode">>;

const modeOf = (mode: string | null | undefined): { mode?: "plan" } => (mode === "plan" ? { mode: "plan" } : {});

type StoredPart = { type?: string; text?: string; id?: string; tool?: string; input?: unknown; output?: unknown; ok?: boolean; attempt?: number; of?: number };

export function fromStored(m: StoredMessageInput): ChatMessage {
  const blocks: Block[] = [];
  let evidence: Evidence | undefined;
  let autoFix: ChatMessage["autoFix"];
  let autoFixStopped: string | undefined;
  for (const part of (Array.isArray(m.parts) ? m.parts : []) as StoredPart[]) {
    if (part.type === "evidence") {
      const { type: _type, ...rest } = part as StoredPart & Evidence;
      evidence = rest;
    } else if (part.type === "auto_fix" && part.attempt && part.of) autoFix = { attempt: part.attempt, of: part.of };
    else if (part.type === "auto_fix_stopped" && typeof part.text === "string") autoFixStopped = part.text;
    else if (part.type === "text" && typeof part.text === "string") blocks.push({ kind: "text", text: part.text });
    else if (part.type === "tool_call") blocks.push({ kind: "tool", id: part.id ?? String(blocks.length), tool: part.tool ?? "tool", input: part.input });
    else if (part.type === "tool_result") {
      const call = blocks.find((b): b is ToolBlock => b.kind === "tool" && b.id === part.id);
      if (call) Object.assign(call, { output: part.output, ok: part.ok ?? false });
      else
        blocks.push({
          kind: "tool",
          id: part.id ?? String(blocks.length),
          tool: part.tool ?? "tool",
          input: undefined,
          output: part.output,
          ok: part.ok ?? false,
        });
    }
  }
  if (!blocks.some((b) => b.kind === "text") && m.content) blocks.unshift({ kind: "text", text: m.content });
  const status = m.status === "cancelled" || m.status === "failed" ? m.status : "complete";
  return {
    key: m.id,
    id: m.id,
    role: m.role === "user" ? "user" : "assistant",
    blocks,
    attachments: m.attachments ?? [],
    status,
    model: m.model ?? undefined,
    checkpointBefore: m.checkpoint_before,
    checkpointAfter: m.checkpoint_after,
    undoneAt: m.undone_at ?? null,
    ...(evidence ? { evidence } : {}),
    ...(autoFix ? { autoFix } : {}),
    ...(autoFixStopped ? { autoFixStopped } : {}),
    ...modeOf(m.mode),
  };
}

/** Adds the tokens and cost recorded per message (GET /tokens/usage/{session_id} rows) to stored messages. */
export function withUsage(
  messages: ChatMessage[],
  rows: Array<{ message_id: string | null; input_tokens: number; output_tokens: number; cached_tokens: number; cost_usd: number }>,
): ChatMessage[] {
  const per = new Map<string, { usage: Usage; cost: number }>();
  for (const r of rows) {
    if (!r.message_id) continue;
    const u = per.get(r.message_id) ?? { usage: { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 }, cost: 0 };
    u.usage = {
      input_tokens: u.usage.input_tokens + r.input_tokens,
      output_tokens: u.usage.output_tokens + r.output_tokens,
      cached_tokens: u.usage.cached_tokens + r.cached_tokens,
      total_tokens: u.usage.total_tokens + r.input_tokens + r.output_tokens,
    };
    u.cost += r.cost_usd;
    per.set(r.message_id, u);
  }
  return messages.map((m) => {
    const u = m.id && !m.usage ? per.get(m.id) : undefined;
    return u ? { ...m, usage: u.usage, costUsd: u.cost } : m;
  });
}
