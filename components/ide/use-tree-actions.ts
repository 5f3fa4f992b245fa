"use client";

import { useMemo } from "react";
import { errorMessage } from "@/lib/shared/api-client";
import { filesApi } from "@/lib/shared/files-api";
import type { TreeActions } from "./file-tree";
import type { useOpenFiles } from "./use-open-files";

/** What the file tree's buttons do, through the files API; failures become readable messages. */
export function useTreeActions(projectId: string, files: ReturnType<typeof useOpenFiles>, reload: () => Promise<void>, onError: (m: string) => void): TreeActions {
  const { open, onFileChanged } = files;
  return useMemo(() => {
    const guard = async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (e) {
        onError(errorMessage(e));
      }
      await reload();
    };
    return {
      open,
      create: (path, kind) =>
        guard(async () => {
          if (kind === "directory") await filesApi.mkdir(projectId, path);
          else {
            await filesApi.write(projectId, path, "", null);
            open(path);
          }
        }),
      rename: (from, to) =>
        guard(async () => {
          await filesApi.move(projectId, from, to);
          onFileChanged(to, "renamed", from);
        }),
      remove: (path) =>
        guard(async () => {
          await filesApi.remove(projectId, path);
          onFileChanged(path, "deleted");
        }),
      upload: (dir, list) => guard(() => filesApi.upload(projectId, dir, list)),
    };
  }, [projectId, open, onFileChanged, reload, onError]);
}
