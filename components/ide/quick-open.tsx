"use client";

import { useId, useMemo, useState } from "react";
import type { TreeNode } from "@/lib/shared/file-tree";
import { Dialog } from "../ui/dialog";
import { inputClass } from "../ui/field";
import { fuzzyFilter } from "./fuzzy-match";

function filePaths(root: TreeNode | null): string[] {
  const out: string[] = [];
  const walk = (n: TreeNode) => {
    for (const c of n.children) {
      if (c.type === "file") out.push(c.path);
      else if (c.type === "directory") walk(c);
    }
  };
  if (root) walk(root);
  return out;
}

/** Ctrl/Cmd+P: type part of a file's name, arrow keys pick, Enter opens, Escape closes. */
export function QuickOpen({ open, root, onClose, onPick }: { open: boolean; root: TreeNode | null; onClose: () => void; onPick: (path: string) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Go to file" testId="quick-open">
      {open && <Palette paths={filePaths(root)} onPick={onPick} />}
    </Dialog>
  );
}

function Palette({ paths, onPick }: { paths: string[]; onPick: (path: string) => void }) {
  const [query, setQuery] = useState("");
  const [index, setIndex] = useState(0);
  const matches = useMemo(() => fuzzyFilter(query, paths), [query, paths]);
  const listId = useId();
  const chosen = matches[Math.min(index, matches.length - 1)];
  const optionId = (i: number) => `${listId}-${i}`;

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown") setIndex((i) => Math.min(matches.length - 1, i + 1));
    else if (e.key === "ArrowUp") setIndex((i) => Math.max(0, i - 1));
    else if (e.key === "Enter" && chosen) onPick(chosen);
    else return;
    e.preventDefault();
  };

  return (
    <div className="flex flex-col gap-2">
      <input
        autoFocus
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-activedescendant={chosen ? optionId(matches.indexOf(chosen)) : undefined}
        aria-label="File name"
        placeholder="Type part of a file name"
        className={inputClass}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKey}
        data-testid="quick-open-input"
      />
      <ul id={listId} role="listbox" aria-label="Matching files" className="max-h-80 overflow-auto text-sm">
        {matches.map((path, i) => (
          <li
            key={path}
            id={optionId(i)}
            role="option"
            aria-selected={path === chosen}
            data-testid="quick-open-item"
            data-path={path}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(path)}
            className={`cursor-pointer truncate rounded px-2 py-1 ${path === chosen ? "bg-indigo-100 dark:bg-indigo-900" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
          >
            <span className="font-medium">{path.slice(path.lastIndexOf("/") + 1)}</span>
            {path.includes("/") && <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">{path.slice(0, path.lastIndexOf("/"))}</span>}
          </li>
        ))}
        {matches.length === 0 && (
          <li className="px-2 py-1 text-zinc-500 dark:text-zinc-400">{paths.length ? "No file matches." : "The project has no files yet."}</li>
        )}
      </ul>
    </div>
  );
}
