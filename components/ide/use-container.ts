"use client";

import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import type { ContainerInfo } from "@/lib/client/api-types";
import { containerApi } from "@/lib/client/container-api";

/** The project's container state; polls while it is starting and asks the server to start it on open. */
export function useContainer(projectId: string) {
  const [info, setInfo] = useState<ContainerInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setInfo(await containerApi.get(projectId));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [projectId]);

  const run = useCallback(
    async (action: "start" | "stop" | "restart") => {
      setError(null);
      setInfo((i) => (i && action !== "stop" ? { ...i, state: "starting" } : i));
      try {
        setInfo(await containerApi[action](projectId));
      } catch (e) {
        setError(errorMessage(e));
        void refresh();
      }
    },
    [projectId, refresh],
  );

  useEffect(() => {
    containerApi.start(projectId).then(setInfo, (e: unknown) => {
      setError(errorMessage(e));
      containerApi.get(projectId).then(setInfo, () => undefined);
    });
  }, [projectId]);

  useEffect(() => {
    if (info?.state !== "starting") return;
    const t = setInterval(() => void refresh(), 1000);
    return () => clearInterval(t);
  }, [info?.state, refresh]);

  return { info, error, refresh, run };
}
