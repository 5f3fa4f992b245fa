"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ChatSessionSummary } from "@/lib/client/api-types";

/** The caller's chat sessions of a project (newest activity first), refreshed on demand, coalescing bursts. */
export function useChatSessions(projectId: string) {
  const [list, setList] = useState<ChatSessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(
    () =>
      api.get<ChatSessionSummary[]>(`/projects/${projectId}/sessions`, { limit: 200 }).then(
        (l) => {
          setList(l);
          setError(null);
        },
        (e: unknown) => {
          setList((l) => l ?? []);
          setError(errorMessage(e));
        },
      ),
    [projectId],
  );

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
