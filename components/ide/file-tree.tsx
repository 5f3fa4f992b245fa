"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useMemo, useRef, useState } from "react";
import { parentOf, visibleRows, type TreeNode } from "@/lib/shared/file-tree";
import { FileTreeToolbar } from "./file-tree-toolbar";
import type { TreeActions } from "./tree-actions";
import { deleteEntry, renameEntry } from "./tree-commands";
import { TreeContextMenu, type MenuAt } from "./tree-context-menu";

const ROW = 24;

/**
 * The project's files as a virtualized tree: thousands of rows scroll smoothly since only visible rows render. Arrow keys
 * move and expand, Enter opens, F2 renames, Delete deletes, Shift+F10 or the Menu key (or a right click) opens the menu.
 */
export function FileTree({ root, activePath, actions }: { root: TreeNode; activePath: string | null; actions: TreeActions }) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<TreeNode | null>(null);
  const [dropDir, setDropDir] = useState<string | null>(null);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => visibleRows(root, expanded), [root, expanded]);
  // Without flushSync every scroll event would force a synchronous React render; batched renders keep frames short.
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's methods are read each render on purpose
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
    useFlushSync: false,
  });

  const toggle = useCallback(
    (path: string) =>
      setExpanded((s) => {
        const n = new Set(s);
        if (n.has(path)) n.delete(path);
        else n.add(path);
        return n;
      }),
    [],
  );

  const activate = useCallback(
    (node: TreeNode) => {
      setSelected(node);
      if (node.type === "directory") toggle(node.path);
      else if (node.type === "file") actions.open(node.path);
    },
    [actions, toggle],
  );

  const onKey = useCallback(
    (e: React.KeyboardEvent, index: number) => {
      const row = rows[index];
      if (!row) return;
      const focusRow = (i: number) => {
        const clamped = Math.max(0, Math.min(rows.length - 1, i));
        virtualizer.scrollToIndex(clamped);
        requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${clamped}"]`)?.focus());
      };
      if (e.key === "ContextMenu" || (e.shiftKey && e.key === "F10")) {
        const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
        setSelected(row.node);
        setMenu({ node: row.node, x: r.left + 24, y: r.bottom });
      } else if (e.key === "F2") void renameEntry(actions, row.node);
      else if (e.key === "Delete") void deleteEntry(actions, row.node).then((gone) => gone && setSelected(null));
      else if (e.key === "ArrowDown") focusRow(index + 1);
      else if (e.key === "ArrowUp") focusRow(index - 1);
      else if (e.key === "Enter" || e.key === " ") activate(row.node);
      else if (e.key === "ArrowRight" && row.node.type === "directory" && !expanded.has(row.node.path)) toggle(row.node.path);
      else if (e.key === "ArrowLeft" && row.node.type === "directory" && expanded.has(row.node.path)) toggle(row.node.path);
      else return;
      e.preventDefault();
    },
    [rows, expanded, virtualizer, activate, toggle, actions],
  );

  const openMenu = useCallback((e: React.MouseEvent, node: TreeNode | null) => {
    e.preventDefault();
    e.stopPropagation();
    if (node) setSelected(node);
    setMenu({ node, x: e.clientX, y: e.clientY });
  }, []);

  // Focus goes back to the row the menu was for (or the tree), so a dialog it opens returns there too.
  const closeMenu = useCallback(() => {
    const row = menu?.node ? scrollRef.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(menu.node.path)}"]`) : null;
    (row ?? scrollRef.current?.querySelector<HTMLElement>('[role="treeitem"]'))?.focus();
    setMenu(null);
  }, [menu]);

  // Toolbar actions apply to the selected row, else to the file open in the editor.
  const current = selected ?? rows.find((r) => r.node.path === activePath)?.node ?? null;
  const targetDir = current ? (current.type === "directory" ? current.path : parentOf(current.path)) : "";

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    const files = [...e.dataTransfer.files];
    const dir = dropDir ?? "";
    setDropDir(null);
    if (files.length) void actions.upload(dir, files).then(() => dir && setExpanded((s) => new Set(s).add(dir)));
  };

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="file-tree">
      <FileTreeToolbar
        targetDir={targetDir}
        selected={current}
        actions={actions}
        onCreated={(dir) => dir && setExpanded((s) => new Set(s).add(dir))}
        onRemoved={() => setSelected(null)}
      />
      <div
        ref={scrollRef}
        role="tree"
        aria-label="Project files"
        className={`min-h-0 flex-1 overflow-auto text-sm ${dropDir === "" ? "bg-indigo-50 dark:bg-indigo-950/40" : ""}`}
        data-testid="file-tree-scroll"
        onDragOver={(e) => {
          e.preventDefault();
          if (dropDir === null) setDropDir("");
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node)) setDropDir(null);
        }}
        onDrop={onDrop}
        onContextMenu={(e) => openMenu(e, null)}
      >
        {rows.length === 0 && (
          <p className="p-3 text-xs text-zinc-500">
            No files yet. Ask the agent in the chat to build something, create a file with the + button, or drop files here.
          </p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => {
            const { node, depth } = rows[v.index]!;
            return (
              <TreeRowView
                key={node.path}
                node={node}
                depth={depth}
                index={v.index}
                start={v.start}
                open={expanded.has(node.path)}
                active={node.path === activePath}
                focusable={selected?.path === node.path || (!selected && v.index === 0)}
                dropTarget={dropDir === node.path}
                onActivate={activate}
                onKey={onKey}
                onDragOverDir={setDropDir}
                onContextMenu={openMenu}
              />
            );
          })}
        </div>
      </div>
      {menu && (
        <TreeContextMenu
          at={menu}
          actions={actions}
          onClose={closeMenu}
          onCreated={(dir) => dir && setExpanded((s) => new Set(s).add(dir))}
          onRemoved={() => setSelected(null)}
        />
      )}
    </div>
  );
}

interface RowProps {
  node: TreeNode;
  depth: number;
  index: number;
  start: number;
  open: boolean;
  active: boolean;
  focusable: boolean;
  dropTarget: boolean;
  onActivate: (node: TreeNode) => void;
  onKey: (e: React.KeyboardEvent, index: number) => void;
  onDragOverDir: (path: string) => void;
  onContextMenu: (e: React.MouseEvent, node: TreeNode) => void;
}

const TreeRowView = memo(function TreeRowView({
  node,
  depth,
  index,
  start,
  open,
  active,
  focusable,
  dropTarget,
  onActivate,
  onKey,
  onDragOverDir,
  onContextMenu,
}: RowProps) {
  const isDir = node.type === "directory";
  return (
    <div
      data-index={index}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={isDir ? open : undefined}
      aria-selected={active}
      tabIndex={focusable ? 0 : -1}
      data-testid="tree-row"
      data-path={node.path}
      onClick={() => onActivate(node)}
      onKeyDown={(e) => onKey(e, index)}
      onContextMenu={(e) => onContextMenu(e, node)}
      aria-haspopup="menu"
      onDragOver={isDir ? () => onDragOverDir(node.path) : undefined}
      style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${start}px)`, paddingLeft: 8 + depth * 12 }}
      className={`flex cursor-pointer items-center gap-1.5 truncate pr-2 outline-none select-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-inset dark:hover:bg-zinc-800 ${
        active ? "bg-indigo-50 font-medium dark:bg-indigo-950/60" : ""
      } ${dropTarget ? "bg-indigo-100 dark:bg-indigo-900" : ""}`}
    >
      <span aria-hidden className="w-3 text-zinc-400">
        {isDir ? (open ? "▾" : "▸") : ""}
      </span>
      <span className="truncate">{node.name}</span>
      {node.type === "special" && (
        <span className="ml-1 text-xs text-zinc-500" title="A named pipe, socket or device: Slipway lists it but never opens it">
          (special)
        </span>
      )}
    </div>
  );
});
