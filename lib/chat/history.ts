import type { AgentMessage } from "@/lib/agent/history-prompt";
import type { StoredPart } from "@/lib/agent/stored-part";
import { estimateTokens } from "@/lib/agent/tokens";
import type { Queryable } from "@/prisma-free-db/client";
import { getSessionSummary, listSessionHistory } from "@/prisma-free-db/queries/chat-sessions";
import { withImageNote } from "./images";
import type { HistoryEntry, SessionHistory } from "./session-history";
import { withUndoneNote } from "./undo-turn";

/** Messages read after the summary: the budget (compaction) bounds the prompt; this only bounds one read. */
export const MAX_HISTORY_MESSAGES = 1000;
/** String fields of an earlier tool call's input longer than this are replaced by a note (file contents mostly). */
const INPUT_FIELD_MAX = 600;

export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  /** chat_messages.parts as stored (JSON text or parsed). */
  parts: unknown;
  created_at: string;
  /** The user undid this answer's file changes. */
  undone: boolean;
  mode?: string | null;
}

function parsed(parts: unknown): unknown[] {
  let list = parts;
  if (typeof parts === "string") {
    try {
      list = JSON.parse(parts);
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? list : [];
}

/** A file's content in an earlier call is not repeated: the model reads the file as it is now instead. */
function compactInput(input: unknown): unknown {
  if (typeof input === "string") return input.length > INPUT_FIELD_MAX ? `[${input.length} characters, not repeated here]` : input;
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input as Record<string, unknown>).map(([k, v]) => [k, compactInput(v)]));
}

function storedParts(raw: unknown[]): StoredPart[] {
  const parts: StoredPart[] = [];
  for (const p of raw) {
    if (!p || typeof p !== "object") continue;
    const part = p as Record<string, unknown>;
    if (part.type === "text" && typeof part.text === "string") parts.push({ type: "text", text: part.text });
    else if (part.type === "tool_call" && typeof part.id === "string" && typeof part.tool === "string") {
      parts.push({ type: "tool_call", id: part.id, tool: part.tool, input: compactInput(part.input) });
    } else if (part.type === "tool_result" && typeof part.id === "string" && typeof part.tool === "string") {
      parts.push({ type: "tool_result", id: part.id, tool: part.tool, ok: part.ok === true, output: part.output ?? null });
    }
  }
  return parts;
}

const PLAN_NOTE = "[Plan mode: answer with a plan; no files were changed.]";

/** A user message's text as the model reads it, in its own turn (later turns add the image note). */
export function userText(content: string, mode: string | null | undefined): string {
  return mode === "plan" ? `${PLAN_NOTE}\n${content}` : content;
}

/** One stored message as the model sees it; null when it gives the model nothing (an empty answer). */
export function historyEntry(m: StoredMessage): HistoryEntry | null {
  const raw = parsed(m.parts);
  let entry: AgentMessage;
  if (m.role === "user") {
    const images = raw.filter((p) => (p as { type?: unknown } | null)?.type === "image").length;
    entry = { role: "user", content: userText(withImageNote(m.content, images), m.mode) };
  } else if (m.undone) {
    // Its tool calls changed files that are gone: the model gets the text and the note only.
    entry = { role: "assistant", content: withUndoneNote(m.content) };
  } else {
    const parts = storedParts(raw);
    entry = { role: "assistant", content: m.content, ...(parts.some((p) => p.type === "tool_call") ? { parts } : {}) };
  }
  if (entry.content.trim() === "" && !entry.parts) return null;
  const tokens = estimateTokens(entry.content) + (entry.parts ? estimateTokens(JSON.stringify(entry.parts)) : 0);
  return { ...entry, id: m.id, at: m.created_at, tokens };
}

/** The session's summary and the messages after it, oldest first. */
export async function loadSessionHistory(db: Queryable, sessionId: string): Promise<SessionHistory> {
  const summary = await getSessionSummary(db, { sessionId });
  const rows = await listSessionHistory(db, {
    sessionId,
    limit: MAX_HISTORY_MESSAGES,
    after: summary ? { at: summary.throughAt, id: summary.throughId } : null,
  });
  return { summary, entries: rows.map(historyEntry).filter((e): e is HistoryEntry => e !== null) };
}
