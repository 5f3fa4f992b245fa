"use client";

import { useEffect, useLayoutEffect, useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import type { ChatMode } from "@/lib/shared/chat-protocol";
import { textOf, type ChatMessage } from "@/lib/client/chat-state";
import type { ProjectSocket } from "@/lib/shared/project-socket";
import { Button } from "../ui/button";
import { useDefaultModel } from "../settings/use-default-model";
import { ErrorBanner } from "../ui/error-banner";
import { AttachImagesButton } from "./attach-images-button";
import { AutoFixToggle } from "./auto-fix-toggle";
import { PendingThumbs } from "./attachment-thumbs";
import { MessageView } from "./message-view";
import { ModeToggle } from "./mode-toggle";
import { ModelPicker } from "./model-picker";
import { SessionMenu } from "./session-menu";
import { useAttachments } from "./use-attachments";
import { useChat } from "./use-chat";

export interface ChatApi {
  send: (content: string) => void;
}

/** The chat column: session bar, conversation (newest page first, older pages when scrolled to the top), status
 * line, composer with model picker and cancel. The turns an undo reverted are marked by the `turn_undone` frame that
 * every tab on the project gets. */
export function ChatPanel({
  socket,
  onUndo,
  onShowDiff,
  register,
  lastModel,
  autoFix,
}: {
  socket: ProjectSocket;
  onUndo: (m: ChatMessage) => void;
  onShowDiff: (m: ChatMessage) => void;
  register?: (api: ChatApi) => void;
  /** The model the project's last turn used: the picker starts with it. */
  lastModel?: string | null;
  /** The project's auto-fix setting (undefined while the project loads). */
  autoFix?: boolean;
}) {
  const chat = useChat(socket);
  const { state, connected, historyError, send, cancel, hasOlder, loadingOlder, loadOlder } = chat;
  const [draft, setDraft] = useState("");
  const preferred = useDefaultModel();
  const [picked, setModel] = useState<string | null>(null);
  const model = picked ?? lastModel ?? preferred ?? "";
  const listRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const attachments = useAttachments(socket.projectId);
  const [dragging, setDragging] = useState(false);
  const [mode, setMode] = useState<ChatMode>("build");

  useEffect(() => {
    register?.({ send: (content) => send(content, model || undefined) });
  }, [register, send, model]);

  // Where the list stood when an older page was asked for: once that page is in front, the same message stays in view.
  const anchor = useRef<{ height: number; top: number; firstKey: string | undefined } | null>(null);
  const fetchOlder = (el: HTMLDivElement) => {
    if (!hasOlder || loadingOlder || anchor.current) return;
    anchor.current = { height: el.scrollHeight, top: el.scrollTop, firstKey: state.messages[0]?.key };
    void loadOlder().then((added) => {
      if (!added) anchor.current = null;
    });
  };

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const a = anchor.current;
    if (a && state.messages[0]?.key !== a.firstKey) {
      el.scrollTop = el.scrollHeight - a.height + a.top;
      anchor.current = null;
    } else if (stick.current) el.scrollTop = el.scrollHeight;
  }, [state.messages]);

  // A first page too short to scroll gets the next older one at once (there is no scroll to the top to wait for).
  useEffect(() => {
    const el = listRef.current;
    if (el && hasOlder && el.scrollHeight <= el.clientHeight) fetchOlder(el);
  });

  const openSession = (open: () => void) => {
    stick.current = true;
    anchor.current = null;
    open();
  };

  const canSend = (draft.trim() !== "" || attachments.ready > 0) && !attachments.uploading;
  const submit = () => {
    if (!canSend || state.running || !connected) return;
    send(draft.trim(), model || undefined, attachments.take(), mode === "plan" ? "plan" : undefined);
    setDraft("");
    stick.current = true;
  };
  // A plan answer's "Build this": the plan goes back as the next turn, in build mode.
  const buildPlan = (plan: ChatMessage) => {
    if (state.running || !connected) return;
    setMode("build");
    send(`Build this plan:\n\n${textOf(plan).trim()}`, model || undefined);
    stick.current = true;
  };
  const imagesOf = (list: FileList | null | undefined) => [...(list ?? [])].filter((f) => f.type.startsWith("image/"));
  const onPaste = (e: ClipboardEvent) => {
    const images = imagesOf(e.clipboardData.files);
    if (images.length === 0) return;
    e.preventDefault();
    attachments.add(images);
  };
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes("Files");
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    attachments.add([...e.dataTransfer.files]);
  };

  return (
    <section aria-label="Chat" className="flex h-full min-h-0 flex-col" data-testid="chat-panel" data-session-id={state.sessionId ?? ""}>
      <SessionMenu
        sessions={chat.sessions}
        current={state.sessionId}
        busy={state.running}
        onNew={() => openSession(chat.newSession)}
        onSwitch={(id) => openSession(() => chat.switchSession(id))}
        onRename={chat.renameSession}
        onDelete={chat.removeSession}
      />
      <div
        ref={listRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          if (el.scrollTop < 120) fetchOlder(el);
        }}
        className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-3"
        data-testid="chat-messages"
      >
        {loadingOlder && (
          <p className="text-center text-xs text-zinc-500" data-testid="chat-loading-older">
            Loading earlier messages…
          </p>
        )}
        {state.messages.length === 0 && !historyError && (
          <p className="m-auto max-w-xs text-center text-sm text-zinc-500">
            Tell the agent what to build or change. It edits the files and runs commands in the project&apos;s container; the preview updates as it works.
          </p>
        )}
        {state.messages.map((m) => (
          // Off-screen messages skip layout and paint, so a long conversation scrolls smoothly.
          <div key={m.key} style={{ contentVisibility: "auto", containIntrinsicSize: "auto 120px" }}>
            <MessageView
              message={m}
              projectId={socket.projectId}
              onUndo={onUndo}
              onShowDiff={onShowDiff}
              onBuild={state.running || !connected ? undefined : buildPlan}
            />
          </div>
        ))}
      </div>
      <div
        className={`flex flex-col gap-2 border-t border-zinc-200 p-2 dark:border-zinc-800 ${dragging ? "bg-indigo-50 outline-2 outline-indigo-400 outline-dashed dark:bg-indigo-950" : ""}`}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        data-testid="chat-composer"
      >
        <ErrorBanner message={state.notice ?? historyError} testId="chat-error">
          {state.notice && state.noticeCode === "llm_not_configured" && (
            <a href="/settings#models" className="max-w-28 font-medium underline" data-testid="chat-settings-link">
              Add a key in Settings
            </a>
          )}
        </ErrorBanner>
        <ErrorBanner message={attachments.notice} testId="attachment-error" />
        <PendingThumbs items={attachments.items} onRemove={attachments.remove} />
        {state.running && (
          <p className="text-xs text-zinc-500" data-testid="chat-status" aria-live="polite">
            {state.status ?? "Working…"}
          </p>
        )}
        <textarea
          aria-label="Message the agent"
          data-testid="chat-input"
          rows={3}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onPaste={onPaste}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
          placeholder={
            mode === "plan"
              ? "Describe what you want planned; the agent reads the project and answers with a plan, changing nothing"
              : "Ask for a change… (Enter to send, Shift+Enter for a new line; paste or drop images)"
          }
          className="resize-none rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <div className="flex items-center gap-2">
          <ModeToggle value={mode} onChange={setMode} />
          <ModelPicker value={model} onChange={setModel} />
          <AttachImagesButton onFiles={attachments.add} label="Attach" size="sm" testId="attach" />
          <AutoFixToggle projectId={socket.projectId} initial={autoFix} />
          <span className="flex-1" />
          {state.running ? (
            <Button size="sm" variant="danger" onClick={() => void cancel()} data-testid="chat-cancel">
              Cancel
            </Button>
          ) : (
            <Button
              size="sm"
              variant="primary"
              onClick={submit}
              disabled={!canSend || !connected}
              data-testid="chat-send"
              title={connected ? undefined : "Connecting to the server…"}
            >
              {connected ? "Send" : "Connecting…"}
            </Button>
          )}
        </div>
      </div>
    </section>
  );
}
