"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ChatSessionSummary } from "@/lib/client/api-types";

/** The caller's chat sessions of a project (newest activity first), refreshed on demand, coalescing bursts. */
export function useChatSessions(projectId: string) {
  const [list, setList] = useState<ChatSessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Loads overlap (a refresh while the first list is on its way): only the newest request's answer is kept.
  const latest = useRef(0);
  const load = useCallback(() => {
    const n = ++latest.current;
    return api.get<ChatSessionSummary[]>(`/projects/${projectId}/sessions`, { limit: 200 }).then(
      (l) => {
        if (n !== latest.current) return;
        setList(l);
        setError(null);
      },
      (e: unknown) => {
        if (n !== latest.current) return;
        setList((l) => l ?? []);
        setError(errorMessage(e));
      },
    );
  }, [projectId]);

  useEffect(() => {
    void load();
    return () => clearTimeout(timer.current);
  }, [load]);

  const refresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), 300);
  }, [load]);

  const rename = useCallback(
    async (id: string, title: string) => {
      await api.patch(`/chat/${id}`, { title });
      await load();
    },
    [load],
  );

  const remove = useCallback(
    async (id: string) => {
      await api.del(`/chat/${id}`);
      await load();
    },
    [load],
  );

  return { list, error, refresh, rename, remove };
}
