"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "@/lib/shared/api-client";
import type { AttachmentInfo, ServerFrame } from "@/lib/shared/chat-protocol";
import type { StoredMessage } from "@/lib/shared/api-types";
import { applyFrame, fromStored, initialChat, localUserMessage, withStored, withUsage, type ChatState } from "@/lib/shared/chat-state";
import type { ProjectSocket } from "@/lib/shared/project-socket";

type SessionUsage = { calls: Array<{ message_id: string | null; input_tokens: number; output_tokens: number; cached_tokens: number; cost_usd: number }> };

/** Chat state for one project: stored history plus live frames, applied at most once per animation frame. */
export function useChat(socket: ProjectSocket) {
  const [state, setState] = useState<ChatState>(initialChat);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [connected, setConnected] = useState(() => socket.state === "open");
  const queue = useRef<ServerFrame[]>([]);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  useEffect(() => socket.onState((s) => setConnected(s === "open")), [socket]);

  useEffect(() => {
    let handle: number | undefined;
    const flush = () => {
      handle = undefined;
      const frames = queue.current;
      queue.current = [];
      setState((s) => frames.reduce(applyFrame, s));
    };
    const off = socket.onFrame((f) => {
      queue.current.push(f);
      if (handle === undefined) handle = document.hidden ? window.setTimeout(flush, 50) : requestAnimationFrame(flush);
    });
    return () => {
      off();
      if (handle !== undefined) {
        cancelAnimationFrame(handle);
        clearTimeout(handle);
      }
    };
  }, [socket]);

  const loadHistory = useCallback(
    () =>
      api.get<StoredMessage[]>(`/projects/${socket.projectId}/conversations`, { limit: 200 }).then(
        (stored) => {
          const lastSession = stored[stored.length - 1]?.session_id ?? null;
          setState((s) => ({ ...withStored(s, stored.map(fromStored)), sessionId: s.sessionId ?? lastSession }));
          setHistoryError(null);
          for (const sessionId of new Set(stored.map((m) => m.session_id))) {
            api.get<SessionUsage>(`/tokens/usage/${sessionId}`).then((u) => setState((s) => ({ ...s, messages: withUsage(s.messages, u.calls) })), () => undefined);
          }
        },
        (e: unknown) => setHistoryError(errorMessage(e)),
      ),
    [socket.projectId],
  );

  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  // After a server restart the session's frames are gone (replay_gap): the stored conversation has the turn's end.
  useEffect(() => socket.onFrame((f) => void (f.type === "error" && f.metadata.code === "replay_gap" && loadHistory())), [socket, loadHistory]);

  const send = useCallback(
    (content: string, model?: string, attachments: AttachmentInfo[] = []) => {
      const msg = localUserMessage(content, model, attachments);
      const sessionId = stateRef.current.sessionId ?? socket.resume?.session_id ?? null;
      setState((s) => ({ ...s, messages: [...s.messages, msg], notice: null }));
      const metadata = { ...(model ? { model } : {}), ...(attachments.length > 0 ? { attachments: attachments.map((a) => a.id) } : {}) };
      const ok = socket.send({ type: "user_message", content, session_id: sessionId, ...(Object.keys(metadata).length > 0 ? { metadata } : {}) });
      if (!ok) {
        setState((s) => ({
          ...s,
          messages: s.messages.map((m) => (m.key === msg.key ? { ...m, status: "failed", error: "Not connected to the server; reconnecting. Send again in a moment." } : m)),
        }));
      }
    },
    [socket],
  );

  const cancel = useCallback(async () => {
    const sessionId = stateRef.current.sessionId;
    setState((s) => ({ ...s, status: "Cancelling…" }));
    if (!socket.send({ type: "cancel", session_id: sessionId }) && sessionId) {
      await api.post(`/chat/${sessionId}/cancel`).catch((e) => setState((s) => ({ ...s, notice: errorMessage(e), noticeCode: undefined })));
    }
  }, [socket]);

  const newSession = useCallback(() => {
    socket.forgetSession();
    setState((s) => ({ ...s, sessionId: null }));
  }, [socket]);

  return { state, connected, historyError, send, cancel, newSession, reload: loadHistory };
}
