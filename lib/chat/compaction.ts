import type { ChatCompletionsModel } from "@/lib/llm/chat-completions/client";
import { capabilitiesOf } from "@/lib/llm/prices";
import { estimateTokens } from "@/lib/agent/tokens";
import type { Usage } from "@/lib/shared/chat-protocol";
import type { HistoryEntry, SessionHistory, SessionSummary } from "./session-history";

/**
 * Keeps a session's prompt within a budget set from the model's context window, as OpenHands' condenser does:
 * when the next prompt would pass it, the older turns (with the previous summary) are summarised by the model in
 * one extra, tool-less call, and the last KEEP_TURNS turns stay verbatim. The summary is stored with the session
 * and the next turns start from it.
 */

/** Share of the model's context window the prompt may fill (the rest is for the answer and the estimate's error). */
export const CONTEXT_FRACTION = 0.6;
/** Context window assumed for a model the table does not know. */
export const DEFAULT_CONTEXT_TOKENS = 32_768;
/** User turns (each message and its answer) kept verbatim after a compaction. */
export const KEEP_TURNS = 4;
/** One message's share of the summariser's transcript, in characters. */
const MESSAGE_CHARS = 1500;
const SUMMARY_MAX_CHARS = 12_000;

export function promptBudget(modelId: string): number {
  return Math.floor((capabilitiesOf(modelId).context ?? DEFAULT_CONTEXT_TOKENS) * CONTEXT_FRACTION);
}

/** The summary as the system prompt carries it. */
export function summarySection(summary: SessionSummary | null): string {
  return summary ? `\n\n# Earlier in this conversation (a summary; the messages after it follow verbatim)\n${summary.text}` : "";
}

export function historyTokens(history: SessionHistory): number {
  return history.entries.reduce((sum, e) => sum + e.tokens, 0);
}

/**
 * The entries to summarise (everything before the last KEEP_TURNS user messages), or null when the prompt fits
 * `budget` (with `fixedTokens` for the system prompt, tools and this turn's message) or nothing older is left.
 */
export function compactionSplit(history: SessionHistory, budget: number, fixedTokens: number): { older: HistoryEntry[]; kept: HistoryEntry[] } | null {
  const summaryTokens = history.summary ? estimateTokens(summarySection(history.summary)) : 0;
  if (fixedTokens + summaryTokens + historyTokens(history) <= budget) return null;
  let users = 0;
  let cut = 0;
  for (let i = history.entries.length - 1; i >= 0; i--) {
    if (history.entries[i]!.role === "user" && ++users === KEEP_TURNS) {
      cut = i;
      break;
    }
  }
  if (cut === 0) return null;
  return { older: history.entries.slice(0, cut), kept: history.entries.slice(cut) };
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text);

function transcriptLine(e: HistoryEntry): string {
  if (e.role === "user") return `User: ${clip(e.content, MESSAGE_CHARS)}`;
  if (!e.parts) return `Assistant: ${clip(e.content, MESSAGE_CHARS)}`;
  const pieces: string[] = [];
  for (const p of e.parts) {
    if (p.type === "text") pieces.push(p.text);
    else if (p.type === "tool_call") pieces.push(`[${p.tool} ${clip(JSON.stringify(p.input ?? null), 200)}]`);
    else pieces.push(`[${p.tool} ${p.ok ? "ok" : "failed"}: ${clip(typeof p.output === "string" ? p.output : JSON.stringify(p.output ?? null), 200)}]`);
  }
  return `Assistant: ${clip(pieces.join("\n"), MESSAGE_CHARS)}`;
}

/** The summariser's input within `maxChars`: the oldest messages are left out (with a note) when it is longer. */
export function transcript(previous: SessionSummary | null, older: HistoryEntry[], maxChars: number): string {
  const lines = older.map(transcriptLine);
  const head = previous ? `Summary so far:\n${previous.text}\n\nMessages since:\n` : "Messages:\n";
  let total = head.length + lines.reduce((n, l) => n + l.length + 2, 0);
  let dropped = 0;
  while (total > maxChars && dropped < lines.length - 1) total -= lines[dropped++]!.length + 2;
  const note = dropped > 0 ? `(${dropped} older messages are left out here.)\n\n` : "";
  return `${head}${note}${lines.slice(dropped).join("\n\n")}`;
}

const SUMMARISER = `You keep the memory of a conversation between a user and Slipway's coding agent, which builds the user's web app.
Summarise the conversation below into notes the agent will read instead of it. Keep: what the user wants and their stated preferences; decisions made; the files created or changed and what they do now; commands run and what they showed; what is done, what failed and what is still open. Drop small talk and tool output details. Be concrete (file names, component names, settings). At most 500 words, plain text.`;

export interface SummaryCall {
  model: ChatCompletionsModel;
  signal: AbortSignal;
  idleTimeoutMs: number;
  budget: number;
}

/** One tool-less model call summarising `previous` and `older`; throws when the provider fails. */
export async function summarise(
  call: SummaryCall,
  previous: SessionSummary | null,
  older: HistoryEntry[],
): Promise<{ text: string; usage: Usage; modelId: string }> {
  const input = transcript(previous, older, Math.max(4000, call.budget * 4 - SUMMARISER.length));
  const stream = await call.model.stream({
    prompt: [
      { role: "system", content: SUMMARISER },
      { role: "user", content: [{ type: "text", text: input }] },
    ],
    tools: [],
    signal: call.signal,
    idleTimeoutMs: call.idleTimeoutMs,
  });
  let text = "";
  let usage: Usage = { input_tokens: 0, output_tokens: 0, cached_tokens: 0, total_tokens: 0 };
  let modelId = call.model.modelId;
  for await (const part of stream) {
    if (part.type === "text-delta") text += part.delta;
    else if (part.type === "finish" && part.usage) usage = part.usage;
    else if (part.type === "response-metadata") modelId = part.modelId || modelId;
    else if (part.type === "error") throw new Error(`the summary call failed: ${part.message}`);
  }
  text = text.trim();
  if (!text) throw new Error("the summary call returned no text");
  return { text: clip(text, SUMMARY_MAX_CHARS), usage, modelId };
}

/** Without a summary (the call failed): the oldest entries are left out until the prompt fits. */
export function trimToBudget(history: SessionHistory, budget: number, fixedTokens: number): SessionHistory {
  const entries = [...history.entries];
  let total = fixedTokens + (history.summary ? estimateTokens(summarySection(history.summary)) : 0) + historyTokens(history);
  if (total <= budget) return history;
  while (entries.length > 1 && total > budget) total -= entries.shift()!.tokens;
  // An answer whose question was left out would read as out of place.
  while (entries.length > 1 && entries[0]!.role !== "user") entries.shift();
  return { summary: history.summary, entries };
}

/** Tokens the tool definitions take, roughly (they are sent with every request). */
const TOOLS_ALLOWANCE = 3000;

export interface FitHistory {
  history: SessionHistory;
  /** The system prompt and this turn's message. */
  fixedText: string;
  call: SummaryCall;
  /** Told before the summary call starts (a status frame). */
  compacting: () => void;
  /** Stores the new summary (awaited before the turn goes on). */
  store: (summary: SessionSummary) => Promise<void>;
  /** Records the summary call's usage. */
  record: (usage: Usage, modelId: string) => void;
  warn: (message: string, fields: Record<string, unknown>) => void;
}

/** The history this turn sends: as it is when it fits the budget, else compacted (or, if that fails, trimmed). */
export async function fitHistory(f: FitHistory): Promise<SessionHistory> {
  const fixed = estimateTokens(f.fixedText) + TOOLS_ALLOWANCE;
  const split = compactionSplit(f.history, f.call.budget, fixed);
  if (!split) return trimToBudget(f.history, f.call.budget, fixed);
  f.compacting();
  try {
    const { text, usage, modelId } = await summarise(f.call, f.history.summary, split.older);
    f.record(usage, modelId);
    const last = split.older[split.older.length - 1]!;
    const summary: SessionSummary = { text, throughAt: last.at, throughId: last.id };
    await f.store(summary);
    return trimToBudget({ summary, entries: split.kept }, f.call.budget, fixed);
  } catch (error) {
    if (!f.call.signal.aborted) f.warn("summarising the conversation failed: its oldest messages are left out of this turn", { error });
    return trimToBudget(f.history, f.call.budget, fixed);
  }
}
