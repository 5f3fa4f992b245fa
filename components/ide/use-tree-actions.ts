"use client";

import { useMemo } from "react";
import { filesApi } from "@/lib/client/files-api";
import { toastError } from "../ui/toast";
import type { TreeActions } from "./tree-actions";
import { downloadFile } from "./tree-commands";
import type { useOpenFiles } from "./use-open-files";

/** What the file tree's buttons and menu do, through the files API; failures become toasts with the request id. */
export function useTreeActions(projectId: string, files: ReturnType<typeof useOpenFiles>, reload: () => Promise<void>): TreeActions {
  const { open, onFileChanged } = files;
  return useMemo(() => {
    const guard = async (work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (e) {
        toastError(e);
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
      download: (path) => downloadFile(projectId, path),
    };
  }, [projectId, open, onFileChanged, reload]);
}
