"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, apiUrl, errorMessage } from "@/lib/client/api-client";
import type { Deployment, DeploymentState } from "@/lib/client/api-types";

export interface LiveBuild {
  id: string;
  state: DeploymentState;
  log: string;
  error: string | null;
}

const finished = (s: DeploymentState) => s === "ready" || s === "failed";

/**
 * A project's preview deployments, plus the one being built: its state (polled) and its build log
 * (followed over the logs endpoint's server-sent events; the stored log replaces it when the build ends).
 */
export function useDeployments(projectId: string) {
  const base = `/projects/${projectId}/deployments`;
  const [items, setItems] = useState<Deployment[] | null>(null);
  const [live, setLive] = useState<LiveBuild | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const followed = useRef<string | null>(null);

  const load = useCallback(
    () =>
      api.get<Deployment[]>(base, { limit: 50 }).then(
        (list) => {
          setItems(list);
          // Reopening the panel while a build runs picks it up again.
          const active = list.find((d) => !finished(d.state));
          if (active && !followed.current) {
            followed.current = active.id;
            setLive({ id: active.id, state: active.state, log: "", error: null });
          }
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [base],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const liveId = live?.id;
  const liveDone = live ? finished(live.state) : true;
  useEffect(() => {
    if (!liveId || liveDone) return;
    let streaming = true;
    const source = new EventSource(apiUrl(`${base}/${liveId}/logs`));
    source.addEventListener("log", (e) => {
      const { text } = JSON.parse((e as MessageEvent<string>).data) as { text: string };
      setLive((l) => (l && l.id === liveId ? { ...l, log: l.log + text } : l));
    });
    source.addEventListener("end", (e) => {
      const end = JSON.parse((e as MessageEvent<string>).data) as { state: DeploymentState; error: string | null };
      source.close();
      setLive((l) => (l && l.id === liveId ? { ...l, state: end.state, error: end.error } : l));
    });
    // A dropped stream would replay the whole log on reconnect: stop it and let the poll carry the log.
    source.onerror = () => {
      streaming = false;
      source.close();
    };
    const timer = setInterval(() => {
      api.get<Deployment>(`${base}/${liveId}`).then(
        (d) => setLive((l) => (l && l.id === liveId ? { ...l, state: d.state, error: d.error, log: streaming && !finished(d.state) ? l.log : d.log } : l)),
        () => undefined,
      );
    }, 1000);
    return () => {
      source.close();
      clearInterval(timer);
    };
  }, [base, liveId, liveDone]);

  // When the build ends: the stored log is authoritative and the list shows the new state.
  useEffect(() => {
    if (!liveId || !liveDone) return;
    followed.current = null;
    void load();
    api.get<Deployment>(`${base}/${liveId}`).then(
      (d) => setLive((l) => (l && l.id === liveId ? { ...l, state: d.state, error: d.error, log: d.log } : l)),
      () => undefined,
    );
  }, [base, liveId, liveDone, load]);

  const act = useCallback(
    async (key: string, fn: () => Promise<unknown>) => {
      setBusy(key);
      setError(null);
      try {
        await fn();
        await load();
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(null);
      }
    },
    [load],
  );

  return {
    items,
    live,
    busy,
    error,
    dismissError: () => setError(null),
    publish: (visibility: "private" | "public", promote: boolean) =>
      act("publish", async () => {
        const d = await api.post<Deployment>(base, { visibility, promote });
        followed.current = d.id;
        setLive({ id: d.id, state: d.state, log: "", error: d.error });
      }),
    promote: (id: string) => act(`promote:${id}`, () => api.post(`${base}/${id}/promote`)),
    setVisibility: (id: string, visibility: "private" | "public") => act(`visibility:${id}`, () => api.patch(`${base}/${id}`, { visibility })),
    remove: (id: string) => act(`delete:${id}`, () => api.del(`${base}/${id}`)),
  };
}

/** The link that opens a deployment in the browser: private ones go through their short-lived access link. */
export const openUrl = (d: Deployment) => d.access_url;

/** The stable URL's opening link: for a private promoted deployment the same access grant works on the stable host. */
export function stableOpenUrl(d: Deployment): string {
  if (d.visibility === "public") return d.stable_url;
  const access = new URL(d.access_url);
  return `${d.stable_url.replace(/\/$/, "")}${access.pathname}${access.search}`;
}
