import type { AgentMessage } from "@/lib/agent/history-prompt";

/**
 * What the model sees of a session's earlier turns: its summary (lib/chat/compaction.ts) and the messages after
 * it, each answer with its tool calls and results. Built by `historyEntry` alone, whether the message comes from
 * the database or from the turn that just ended (the session's memory), so both give the model the same prompt.
 */
export interface HistoryEntry extends AgentMessage {
  id: string;
  /** ISO time the message was stored with (the summary's end is a point in (created_at, id) order). */
  at: string;
  /** Estimated tokens of the message as the model receives it. */
  tokens: number;
}

export interface SessionSummary {
  text: string;
  throughAt: string;
  throughId: string;
}

export interface SessionHistory {
  summary: SessionSummary | null;
  entries: HistoryEntry[];
}
