"use client";

import { FilePlus, FolderPlus, Pencil, Trash2, Upload } from "lucide-react";
import { useRef } from "react";
import type { TreeNode } from "@/lib/shared/file-tree";
import type { TreeActions } from "./tree-actions";
import { deleteEntry, newEntry, renameEntry } from "./tree-commands";

const iconButton =
  "rounded p-1 text-zinc-600 dark:text-zinc-300 hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-40 dark:hover:bg-zinc-700";

/** New file/folder (in the selected folder), rename, delete and upload for the file tree. */
export function FileTreeToolbar({
  targetDir,
  selected,
  actions,
  onCreated,
  onRemoved,
}: {
  targetDir: string;
  selected: TreeNode | null;
  actions: TreeActions;
  onCreated: (dir: string) => void;
  onRemoved: () => void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);

  const create = async (kind: "file" | "directory") => {
    if (await newEntry(actions, targetDir, kind)) onCreated(targetDir);
  };
  const remove = async () => {
    if (selected && (await deleteEntry(actions, selected))) onRemoved();
  };

  return (
    <div className="flex flex-wrap items-center gap-0.5 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
      <span className="flex-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Files</span>
      <button type="button" className={iconButton} onClick={() => void create("file")} title="New file" aria-label="New file" data-testid="new-file">
        <FilePlus aria-hidden size={14} />
      </button>
      <button type="button" className={iconButton} onClick={() => void create("directory")} title="New folder" aria-label="New folder" data-testid="new-folder">
        <FolderPlus aria-hidden size={14} />
      </button>
      <button
        type="button"
        className={iconButton}
        onClick={() => selected && void renameEntry(actions, selected)}
        disabled={!selected}
        title="Rename"
        aria-label="Rename selected"
        data-testid="rename-file"
      >
        <Pencil aria-hidden size={14} />
      </button>
      <button
        type="button"
        className={iconButton}
        onClick={() => void remove()}
        disabled={!selected}
        title="Delete"
        aria-label="Delete selected"
        data-testid="delete-file"
      >
        <Trash2 aria-hidden size={14} />
      </button>
      <button
        type="button"
        className={iconButton}
        onClick={() => fileInput.current?.click()}
        title="Upload files (or drop them on the tree)"
        aria-label="Upload files"
      >
        <Upload aria-hidden size={14} />
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length) void actions.upload(targetDir, files);
        }}
      />
    </div>
  );
}
