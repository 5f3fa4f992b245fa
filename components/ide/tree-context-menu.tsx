"use client";

import { Copy, Download, FilePlus, FolderPlus, Pencil, Trash2, type LucideIcon } from "lucide-react";
import { useEffect, useRef } from "react";
import { parentOf, type TreeNode } from "@/lib/shared/file-tree";
import type { TreeActions } from "./tree-actions";
import { copyPath, deleteEntry, newEntry, renameEntry } from "./tree-commands";

export interface MenuAt {
  /** null: the tree's empty space (the project root). */
  node: TreeNode | null;
  x: number;
  y: number;
}

interface Item {
  label: string;
  icon: LucideIcon;
  run: () => Promise<unknown>;
  testId: string;
}

/**
 * The tree's right-click (or Shift+F10 / Menu key) menu: a WAI-ARIA menu, arrow keys move, Enter runs,
 * Escape or Tab or a click elsewhere closes it and focus goes back to the tree.
 */
export function TreeContextMenu({
  at,
  actions,
  onClose,
  onCreated,
  onRemoved,
}: {
  at: MenuAt;
  actions: TreeActions;
  onClose: () => void;
  onCreated: (dir: string) => void;
  onRemoved: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { node } = at;
  const dir = !node ? "" : node.type === "directory" ? node.path : parentOf(node.path);

  const items: Item[] = [
    { label: "New file", icon: FilePlus, testId: "menu-new-file", run: async () => (await newEntry(actions, dir, "file")) && onCreated(dir) },
    { label: "New folder", icon: FolderPlus, testId: "menu-new-folder", run: async () => (await newEntry(actions, dir, "directory")) && onCreated(dir) },
  ];
  if (node) {
    items.push(
      { label: "Rename…", icon: Pencil, testId: "menu-rename", run: () => renameEntry(actions, node) },
      { label: "Delete", icon: Trash2, testId: "menu-delete", run: async () => (await deleteEntry(actions, node)) && onRemoved() },
      { label: "Copy path", icon: Copy, testId: "menu-copy-path", run: () => copyPath(node.path) },
    );
    if (node.type === "file") items.push({ label: "Download", icon: Download, testId: "menu-download", run: () => actions.download(node.path) });
  }

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("mousedown", away);
    return () => document.removeEventListener("mousedown", away);
  }, [onClose]);

  const onKey = (e: React.KeyboardEvent) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown") all[(i + 1) % all.length]?.focus();
    else if (e.key === "ArrowUp") all[(i - 1 + all.length) % all.length]?.focus();
    else if (e.key === "Home") all[0]?.focus();
    else if (e.key === "End") all[all.length - 1]?.focus();
    else if (e.key === "Escape" || e.key === "Tab") onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  // Kept inside the window: a menu opened near the right or bottom edge opens leftwards or upwards.
  const left = Math.min(at.x, window.innerWidth - 200);
  const top = Math.min(at.y, window.innerHeight - items.length * 30 - 12);
  return (
    <div
      ref={ref}
      role="menu"
      aria-label={node ? `Actions for ${node.path}` : "Actions for the project root"}
      data-testid="tree-context-menu"
      onKeyDown={onKey}
      style={{ left, top }}
      className="fixed z-40 min-w-48 rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      {items.map((item) => (
        <button
          key={item.testId}
          type="button"
          role="menuitem"
          tabIndex={-1}
          data-testid={item.testId}
          onClick={() => {
            onClose();
            void item.run();
          }}
          className="flex w-full items-center gap-2 px-3 py-1.5 text-left outline-none hover:bg-zinc-100 focus:bg-indigo-50 dark:hover:bg-zinc-800 dark:focus:bg-indigo-950"
        >
          <item.icon aria-hidden size={14} />
          {item.label}
        </button>
      ))}
    </div>
  );
}
