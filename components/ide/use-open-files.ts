"use client";

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { ApiClientError, errorMessage } from "@/lib/client/api-client";
import { filesApi } from "@/lib/client/files-api";
import { askConfirm } from "../ui/ask";

export interface OpenFile {
  path: string;
  /** What the editor shows. */
  value: string;
  /** What the server had when last read or saved; dirty = value !== saved. */
  saved: string;
  version: string | null;
  loading: boolean;
  saving: boolean;
  error: string | null;
  /** Set when a save got 409: the file changed underneath. */
  conflict: { theirs: string; version: string } | null;
  /** The file changed on disk while it had unsaved edits here. */
  changedOnDisk: boolean;
}

const fresh = (path: string): OpenFile => ({
  path,
  value: "",
  saved: "",
  version: null,
  loading: true,
  saving: false,
  error: null,
  conflict: null,
  changedOnDisk: false,
});

export const isDirty = (f: OpenFile) => !f.loading && f.value !== f.saved;

/** The editor's tabs: open, edit, save with optimistic concurrency, follow changes made by the agent. */
export function useOpenFiles(projectId: string) {
  const [files, setFiles] = useState<OpenFile[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const ref = useRef(files);
  useLayoutEffect(() => {
    ref.current = files;
  }, [files]);

  const patch = useCallback((path: string, p: Partial<OpenFile>) => setFiles((fs) => fs.map((f) => (f.path === path ? { ...f, ...p } : f))), []);

  const load = useCallback(
    async (path: string) => {
      try {
        const c = await filesApi.read(projectId, path);
        patch(path, { value: c.content, saved: c.content, version: c.version, loading: false, error: null, conflict: null, changedOnDisk: false });
      } catch (e) {
        patch(path, { loading: false, error: errorMessage(e) });
      }
    },
    [projectId, patch],
  );

  const open = useCallback(
    (path: string) => {
      setActive(path);
      if (ref.current.some((f) => f.path === path)) return;
      setFiles((fs) => [...fs, fresh(path)]);
      void load(path);
    },
    [load],
  );

  /** Closes a tab; one with unsaved edits asks first. */
  const close = useCallback(async (path: string) => {
    const f = ref.current.find((x) => x.path === path);
    if (
      f &&
      isDirty(f) &&
      !(await askConfirm({
        title: `Close ${path}?`,
        message: "It has unsaved changes, which are lost if you close it.",
        confirmLabel: "Close without saving",
        danger: true,
      }))
    )
      return;
    const rest = ref.current.filter((x) => x.path !== path);
    setFiles(rest);
    setActive((a) => (a === path ? (rest[rest.length - 1]?.path ?? null) : a));
  }, []);

  const edit = useCallback((path: string, value: string) => patch(path, { value }), [patch]);

  const save = useCallback(
    async (path: string, overwrite = false) => {
      const f = ref.current.find((x) => x.path === path);
      if (!f || f.loading || f.saving) return;
      const value = f.value;
      patch(path, { saving: true, error: null });
      try {
        const r = await filesApi.write(projectId, path, value, overwrite ? (f.conflict?.version ?? null) : f.version);
        patch(path, { saved: value, version: r.version, saving: false, conflict: null, changedOnDisk: false });
      } catch (e) {
        if (e instanceof ApiClientError && e.status === 409) {
          const theirs = await filesApi.read(projectId, path).catch(() => null);
          patch(path, { saving: false, conflict: theirs ? { theirs: theirs.content, version: theirs.version } : null, error: theirs ? null : errorMessage(e) });
        } else patch(path, { saving: false, error: errorMessage(e) });
      }
    },
    [projectId, patch],
  );

  /** Keep my edits (overwrite theirs) or take theirs (drop mine). */
  const resolveConflict = useCallback(
    (path: string, keep: "mine" | "theirs") => {
      const f = ref.current.find((x) => x.path === path);
      if (!f?.conflict) return;
      if (keep === "theirs")
        patch(path, { value: f.conflict.theirs, saved: f.conflict.theirs, version: f.conflict.version, conflict: null, changedOnDisk: false });
      else void save(path, true);
    },
    [patch, save],
  );

  /** A file_changed event: clean tabs reload, dirty ones are flagged; deleted or renamed tabs follow. */
  const onFileChanged = useCallback(
    (path: string, change: "created" | "modified" | "deleted" | "renamed", from?: string) => {
      if (change === "renamed" && from) {
        setFiles((fs) => fs.map((f) => (f.path === from ? { ...f, path } : f)));
        setActive((a) => (a === from ? path : a));
        return;
      }
      const f = ref.current.find((x) => x.path === path);
      if (!f) return;
      if (change === "deleted") {
        if (!isDirty(f)) {
          setFiles((fs) => fs.filter((x) => x.path !== path));
          setActive((a) => (a === path ? null : a));
        } else patch(path, { changedOnDisk: true });
      } else if (isDirty(f) || f.saving) patch(path, { changedOnDisk: true });
      else void load(path);
    },
    [load, patch],
  );

  return { files, active, setActive, open, close, edit, save, resolveConflict, reload: load, onFileChanged };
}
