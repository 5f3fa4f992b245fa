"use client";

import { memo } from "react";
import type { ChatMessage } from "@/lib/client/chat-state";
import { formatCost, formatTokens } from "@/lib/shared/format";
import { AttachmentThumbs } from "./attachment-thumbs";
import { EvidenceLine } from "./evidence-line";
import { Markdown } from "./markdown";
import { ToolCard } from "./tool-card";

/** One chat message; assistant messages show their blocks in order, then tokens, cost and "undo". */
export const MessageView = memo(function MessageView({
  message,
  projectId,
  onUndo,
  onShowDiff,
  onBuild,
}: {
  message: ChatMessage;
  projectId?: string;
  onUndo?: (m: ChatMessage) => void;
  onShowDiff?: (m: ChatMessage) => void;
  /** Sends a plan answer back as the next build turn (absent while a turn runs). */
  onBuild?: (m: ChatMessage) => void;
}) {
  if (message.role === "user") {
    const text = message.blocks.map((b) => (b.kind === "text" ? b.text : "")).join("");
    return (
      <div className="flex flex-col items-end gap-1" data-testid="user-message">
        {projectId && message.attachments && message.attachments.length > 0 && <AttachmentThumbs projectId={projectId} attachments={message.attachments} />}
        {message.mode === "plan" && (
          <span className="text-[10px] font-semibold tracking-wide text-indigo-600 uppercase dark:text-indigo-400" data-testid="plan-mode-tag">
            Plan
          </span>
        )}
        {message.autoFix ? (
          // Slipway's own fix-up message: its long prompt (errors, stacks, code) stays folded.
          <details
            className="max-w-[90%] rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm dark:border-amber-800 dark:bg-amber-950"
            data-testid="auto-fix-message"
          >
            <summary className="cursor-pointer font-medium text-amber-800 dark:text-amber-300" data-testid="auto-fix-label">
              Auto-fix {message.autoFix.attempt}/{message.autoFix.of}: fixing the errors in the preview
            </summary>
            <div className="mt-1 text-xs whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{text}</div>
          </details>
        ) : (
          text && <div className="max-w-[90%] rounded-lg bg-indigo-600 px-3 py-2 text-sm whitespace-pre-wrap text-white">{text}</div>
        )}
        {message.error && <p className="text-xs text-red-600 dark:text-red-400">{message.error}</p>}
      </div>
    );
  }
  const streaming = message.status === "streaming";
  // A turn that changed files has checkpoints on both sides: its diff can be shown and undone.
  const changed = Boolean(message.checkpointBefore && message.checkpointAfter && message.checkpointBefore !== message.checkpointAfter);
  return (
    <div className="flex flex-col gap-1" data-testid="assistant-message" data-status={message.status}>
      {message.blocks.map((b, i) => (b.kind === "text" ? <Markdown key={i} text={b.text} /> : <ToolCard key={b.id} block={b} />))}
      {streaming && message.blocks.length === 0 && <span className="animate-pulse text-sm text-zinc-500">…</span>}
      {message.error && (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {message.error}
        </p>
      )}
      {!streaming && message.evidence && <EvidenceLine evidence={message.evidence} />}
      {message.autoFixStopped && (
        <p className="text-xs font-medium text-amber-700 dark:text-amber-400" data-testid="auto-fix-stopped">
          {message.autoFixStopped}
        </p>
      )}
      {!streaming && (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500">
          {message.status === "cancelled" && <span className="font-medium">Cancelled</span>}
          {message.mode === "plan" && message.status === "complete" && onBuild && (
            <button
              type="button"
              className="rounded-md bg-indigo-600 px-2 py-0.5 font-medium text-white hover:bg-indigo-500"
              onClick={() => onBuild(message)}
              data-testid="build-plan"
              title="Send this plan as the next turn, in build mode"
            >
              Build this
            </button>
          )}
          {message.usage && (
            <span
              data-testid="message-usage"
              title={`${message.usage.input_tokens} in, ${message.usage.output_tokens} out, ${message.usage.cached_tokens} cached`}
            >
              {formatTokens(message.usage.total_tokens)} tokens · {formatCost(message.costUsd ?? 0)}
              {message.model ? ` · ${message.model}` : ""}
            </span>
          )}
          {changed && onShowDiff && (
            <button
              type="button"
              className="underline hover:text-zinc-800 dark:hover:text-zinc-200"
              onClick={() => onShowDiff(message)}
              data-testid="show-turn-diff"
            >
              {message.filesChanged?.length ? `${message.filesChanged.length} file${message.filesChanged.length > 1 ? "s" : ""} changed` : "View changes"}
            </button>
          )}
          {changed && message.undoneAt && (
            <span
              className="font-medium"
              data-testid="turn-undone"
              title={`Undone ${new Date(message.undoneAt).toLocaleString()}: its file changes were reverted`}
            >
              Undone
            </span>
          )}
          {changed && !message.undoneAt && message.id && onUndo && (
            <button type="button" className="underline hover:text-zinc-800 dark:hover:text-zinc-200" onClick={() => onUndo(message)} data-testid="undo-turn">
              Undo this turn
            </button>
          )}
        </div>
      )}
    </div>
  );
});
