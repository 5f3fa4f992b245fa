"use client";

import { useCallback, useEffect, useState } from "react";
import { api } from "@/lib/client/api-client";
import type { PreviewError } from "@/lib/client/api-types";
import type { ProjectSocket } from "@/lib/shared/project-socket";

/** The preview's reported browser errors: loaded once, reloaded on every `preview_error` frame and reconnect. */
export function usePreviewErrors(projectId: string, socket: ProjectSocket) {
  const [errors, setErrors] = useState<PreviewError[]>([]);
  const load = useCallback(() => {
    api
      .get<{ errors: PreviewError[] }>(`/projects/${projectId}/preview/errors`)
      .then((d) => setErrors(d.errors))
      .catch(() => undefined);
  }, [projectId]);

  useEffect(() => {
    load();
    const off = socket.onFrame((f) => {
      if (f.type === "preview_error") load();
    });
    const offState = socket.onState((s) => {
      if (s === "open") load();
    });
    return () => {
      off();
      offState();
    };
  }, [socket, load]);

  const clear = useCallback(() => {
    setErrors([]);
    api.del(`/projects/${projectId}/preview/errors`).catch(() => undefined);
  }, [projectId]);

  return { errors, clear };
}
