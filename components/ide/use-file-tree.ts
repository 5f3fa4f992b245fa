"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { buildTree, type TreeNode } from "@/lib/shared/file-tree";
import { filesApi } from "@/lib/client/files-api";

/** The project's file tree; `refresh` coalesces bursts of file_changed events into one reload. */
export function useFileTree(projectId: string) {
  const [root, setRoot] = useState<TreeNode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(
    () =>
      filesApi.tree(projectId).then(
        (entries) => {
          setRoot(buildTree(entries));
          setError(null);
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [projectId],
  );

  useEffect(() => {
    void load();
    return () => clearTimeout(timer.current);
  }, [load]);

  const refresh = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), 150);
  }, [load]);

  return { root, error, reload: load, refresh };
}
