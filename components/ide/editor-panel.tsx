"use client";

import dynamic from "next/dynamic";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { isDirty, type useOpenFiles } from "./use-open-files";

const CodeEditor = dynamic(() => import("./code-editor"), { ssr: false, loading: () => <p className="p-3 text-sm text-zinc-500">Loading editor…</p> });
const ConflictDiff = dynamic(() => import("./code-editor").then((m) => m.ConflictDiff), { ssr: false });

type Files = ReturnType<typeof useOpenFiles>;

/** Tabs with dirty markers over Monaco; a bar explains conflicts and changes made underneath. */
export function EditorPanel({ files }: { files: Files }) {
  const current = files.files.find((f) => f.path === files.active) ?? null;
  return (
    <section aria-label="Editor" className="flex h-full min-h-0 flex-col" data-testid="editor-panel">
      <div
        role="tablist"
        aria-label="Open files"
        className="flex shrink-0 overflow-x-auto border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900"
      >
        {files.files.map((f) => {
          const dirty = isDirty(f);
          const name = f.path.slice(f.path.lastIndexOf("/") + 1);
          return (
            <div
              key={f.path}
              className={`group flex items-center gap-1 border-r border-zinc-200 px-2 py-1 text-xs dark:border-zinc-800 ${f.path === files.active ? "bg-white dark:bg-zinc-950" : ""}`}
              data-testid="editor-tab"
              data-path={f.path}
              data-dirty={dirty}
              // Middle-click closes, as in editors and browsers; the mousedown would otherwise start autoscroll.
              onMouseDown={(e) => {
                if (e.button === 1) e.preventDefault();
              }}
              onAuxClick={(e) => {
                if (e.button === 1) void files.close(f.path);
              }}
            >
              <button
                type="button"
                role="tab"
                aria-selected={f.path === files.active}
                title={`${f.path} (Delete or middle-click closes)`}
                onClick={() => files.setActive(f.path)}
                onKeyDown={(e) => {
                  if (e.key === "Delete") void files.close(f.path);
                }}
                className="max-w-40 truncate"
              >
                {name}
                {dirty && <span className="sr-only"> (unsaved)</span>}
              </button>
              {/* A tab list may hold only tabs: the × is for the mouse; the keyboard closes a tab with Delete. */}
              <span
                aria-hidden
                onClick={() => void files.close(f.path)}
                title={dirty ? "Unsaved changes; close" : "Close"}
                data-testid="tab-close"
                className="w-4 cursor-pointer rounded text-center text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-700"
              >
                {dirty ? <span data-testid="dirty-marker">●</span> : "×"}
              </span>
            </div>
          );
        })}
      </div>
      {!current && (
        <p className="m-auto max-w-xs p-4 text-center text-sm text-zinc-500" data-testid="editor-empty">
          No file open. Pick one in the Files tree, or press <kbd className="rounded border border-zinc-300 px-1 dark:border-zinc-700">Ctrl</kbd>+
          <kbd className="rounded border border-zinc-300 px-1 dark:border-zinc-700">P</kbd> to open one by name.
        </p>
      )}
      {current && (
        <>
          <ErrorBanner message={current.error} testId="editor-error" />
          {current.changedOnDisk && !current.conflict && (
            <div className="flex items-center gap-2 bg-amber-50 px-3 py-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200" role="status">
              This file changed on disk while you were editing. Saving will ask what to keep.
              <Button size="sm" onClick={() => files.reload(current.path)}>
                Discard mine and reload
              </Button>
            </div>
          )}
          {current.conflict && (
            <div className="flex flex-col border-b border-amber-300 dark:border-amber-800" data-testid="conflict-prompt">
              <div
                className="flex flex-wrap items-center gap-2 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
                role="alert"
              >
                <span className="flex-1">Someone (probably the agent) changed this file since you opened it. Left: the file now; right: your edits.</span>
                <Button size="sm" variant="primary" onClick={() => files.resolveConflict(current.path, "mine")} data-testid="conflict-keep-mine">
                  Overwrite with mine
                </Button>
                <Button size="sm" onClick={() => files.resolveConflict(current.path, "theirs")} data-testid="conflict-take-theirs">
                  Take theirs
                </Button>
              </div>
              <div className="h-48">
                <ConflictDiff path={current.path} theirs={current.conflict.theirs} mine={current.value} />
              </div>
            </div>
          )}
          <div className="min-h-0 flex-1">
            {current.loading ? (
              <p className="p-3 text-sm text-zinc-500">Loading {current.path}…</p>
            ) : (
              <CodeEditor
                path={current.path}
                value={current.value}
                onChange={(v) => files.edit(current.path, v)}
                onSave={() => void files.save(current.path)}
              />
            )}
          </div>
          <div className="flex shrink-0 items-center gap-3 border-t border-zinc-200 px-3 py-0.5 text-xs text-zinc-500 dark:border-zinc-800">
            <span className="flex-1 truncate">{current.path}</span>
            <span data-testid="save-state">{current.saving ? "Saving…" : isDirty(current) ? "Unsaved (Ctrl+S)" : "Saved"}</span>
          </div>
        </>
      )}
    </section>
  );
}
