"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage, request } from "@/lib/client/api-client";
import type { AttachmentInfo, ServerFrame } from "@/lib/shared/chat-protocol";
import type { StoredMessage } from "@/lib/client/api-types";
import { applyFrame, fromStored, initialChat, localUserMessage, withOlder, withStored, withUsage, type ChatState } from "@/lib/client/chat-state";
import type { ProjectSocket } from "@/lib/shared/project-socket";
import { useChatSessions } from "./use-chat-sessions";

type SessionUsage = { calls: Array<{ message_id: string | null; input_tokens: number; output_tokens: number; cached_tokens: number; cost_usd: number }> };

/** Messages fetched per page: the newest page first, older ones as the list is scrolled to its top. */
export const CHAT_PAGE = 50;

/** A frame of another session than the one shown (a turn running there) leaves the shown conversation alone. */
const ofShown = (s: ChatState, f: ServerFrame) => !f.session_id || !s.sessionId || f.session_id === s.sessionId || f.type === "turn_undone";

/**
 * Chat state for one project's shown session: its newest stored page, older pages on demand, plus live frames,
 * applied at most once per animation frame.
 */
export function useChat(socket: ProjectSocket) {
  const [state, setState] = useState<ChatState>(initialChat);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [connected, setConnected] = useState(() => socket.state === "open");
  const [older, setOlder] = useState<{ before: string | null; loading: boolean }>({ before: null, loading: false });
  const sessions = useChatSessions(socket.projectId);
  const queue = useRef<ServerFrame[]>([]);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  useEffect(() => socket.onState((s) => setConnected(s === "open")), [socket]);

  const { refresh: refreshSessions } = sessions;
  useEffect(() => {
    let handle: number | undefined;
    const flush = () => {
      handle = undefined;
      const frames = queue.current;
      queue.current = [];
      setState((s) => frames.reduce((acc, f) => (ofShown(acc, f) ? applyFrame(acc, f) : acc), s));
      if (frames.some((f) => f.type === "message_received" || f.type === "completion")) refreshSessions();
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
  }, [socket, refreshSessions]);

  const addUsage = useCallback((sessionId: string) => {
    api.get<SessionUsage>(`/tokens/usage/${sessionId}`).then(
      (u) => setState((s) => ({ ...s, messages: withUsage(s.messages, u.calls) })),
      () => undefined,
    );
  }, []);

  const page = useCallback(
    async (sessionId: string, before: string | null) => {
      const query = { session_id: sessionId, limit: CHAT_PAGE, ...(before ? { before } : { latest: "true" }) };
      const res = await request<StoredMessage[]>(`/projects/${socket.projectId}/conversations`, { query });
      return { messages: res.data.map(fromStored), nextBefore: (res.metadata?.next_before as string | null | undefined) ?? null };
    },
    [socket.projectId],
  );

  /** Shows `sessionId`'s newest page (null: an empty new chat). */
  const show = useCallback(
    async (sessionId: string | null) => {
      if (!sessionId) {
        setState({ ...initialChat });
        setOlder({ before: null, loading: false });
        return;
      }
      try {
        const { messages, nextBefore } = await page(sessionId, null);
        setState((s) => (s.sessionId === sessionId ? withStored(s, messages) : { ...withStored({ ...initialChat, sessionId }, messages) }));
        setOlder({ before: nextBefore, loading: false });
        setHistoryError(null);
        addUsage(sessionId);
      } catch (e) {
        setHistoryError(errorMessage(e));
      }
    },
    [page, addUsage],
  );

  // The session the socket resumes (a turn may be running in it), else the newest one. A message sent before the list
  // came (a slow network, a fast typist) keeps its new chat: showing another session then would drop it and its answer.
  const firstList = sessions.list;
  const started = useRef(false);
  useEffect(() => {
    if (started.current || firstList === null) return;
    started.current = true;
    const current = stateRef.current;
    if (current.sessionId === null && current.messages.length > 0) return;
    const id = current.sessionId ?? socket.resume?.session_id ?? firstList[0]?.id ?? null;
    if (!id) return;
    setState((s) => ({ ...s, sessionId: s.sessionId ?? id }));
    void show(id);
  }, [firstList, socket, show]);

  const loadHistory = useCallback(() => show(stateRef.current.sessionId), [show]);

  // After a server restart the session's frames are gone (replay_gap): the stored conversation has the turn's end.
  useEffect(() => socket.onFrame((f) => void (f.type === "error" && f.metadata.code === "replay_gap" && loadHistory())), [socket, loadHistory]);

  const loadOlder = useCallback(async () => {
    const sessionId = stateRef.current.sessionId;
    if (!sessionId || !older.before || older.loading) return false;
    setOlder((o) => ({ ...o, loading: true }));
    try {
      const { messages, nextBefore } = await page(sessionId, older.before);
      if (stateRef.current.sessionId !== sessionId) return false;
      setState((s) => withOlder(s, messages));
      setOlder({ before: nextBefore, loading: false });
      addUsage(sessionId);
      return true;
    } catch (e) {
      setOlder((o) => ({ ...o, loading: false }));
      setHistoryError(errorMessage(e));
      return false;
    }
  }, [older, page, addUsage]);

  const send = useCallback(
    (content: string, model?: string, attachments: AttachmentInfo[] = [], mode?: "plan") => {
      const msg = localUserMessage(content, model, attachments, mode);
      const sessionId = stateRef.current.sessionId;
      setState((s) => ({ ...s, messages: [...s.messages, msg], notice: null }));
      const metadata = {
        ...(model ? { model } : {}),
        ...(attachments.length > 0 ? { attachments: attachments.map((a) => a.id) } : {}),
        ...(mode ? { mode } : {}),
      };
      const ok = socket.send({ type: "user_message", content, session_id: sessionId, ...(Object.keys(metadata).length > 0 ? { metadata } : {}) });
      if (!ok) {
        setState((s) => ({
          ...s,
          messages: s.messages.map((m) =>
            m.key === msg.key ? { ...m, status: "failed", error: "Not connected to the server; reconnecting. Send again in a moment." } : m,
          ),
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
    void show(null);
  }, [socket, show]);

  const switchSession = useCallback(
    (sessionId: string) => {
      if (sessionId === stateRef.current.sessionId) return;
      socket.forgetSession();
      setState({ ...initialChat, sessionId });
      setOlder({ before: null, loading: false });
      void show(sessionId);
    },
    [socket, show],
  );

  const removeSession = useCallback(
    async (sessionId: string) => {
      await sessions.remove(sessionId);
      if (stateRef.current.sessionId === sessionId) newSession();
    },
    [sessions, newSession],
  );

  return {
    state,
    connected,
    historyError,
    send,
    cancel,
    newSession,
    switchSession,
    removeSession,
    renameSession: sessions.rename,
    sessions: sessions.list ?? [],
    sessionsError: sessions.error,
    hasOlder: older.before !== null,
    loadingOlder: older.loading,
    loadOlder,
    reload: loadHistory,
  };
}
