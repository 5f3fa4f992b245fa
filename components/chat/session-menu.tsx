"use client";

import { useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import type { ChatSessionSummary } from "@/lib/client/api-types";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";

/** The chat's session bar: the shown session's title, a list to switch sessions, rename and delete them, New chat. */
export function SessionMenu({
  sessions,
  current,
  busy,
  onNew,
  onSwitch,
  onRename,
  onDelete,
}: {
  sessions: ChatSessionSummary[];
  current: string | null;
  busy: boolean;
  onNew: () => void;
  onSwitch: (id: string) => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<{ id: string; title: string } | null>(null);
  const [toDelete, setToDelete] = useState<ChatSessionSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = sessions.find((s) => s.id === current);

  const saveTitle = async () => {
    if (!editing) return;
    try {
      await onRename(editing.id, editing.title);
      setEditing(null);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const confirmDelete = async () => {
    if (!toDelete) return;
    try {
      await onDelete(toDelete.id);
      setToDelete(null);
      setError(null);
    } catch (e) {
      setToDelete(null);
      setError(errorMessage(e));
    }
  };

  return (
    <div className="relative border-b border-zinc-200 px-2 py-1.5 dark:border-zinc-800" data-testid="session-menu">
      <div className="flex items-center gap-2">
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className="min-w-0 flex-1 truncate rounded px-1 text-left text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800"
          data-testid="session-current"
          title="Chat sessions"
        >
          {shown ? shown.title || "Untitled chat" : "New chat"} <span aria-hidden>▾</span>
        </button>
        <Button
          size="sm"
          variant="ghost"
          disabled={busy}
          onClick={() => {
            setOpen(false);
            onNew();
          }}
          data-testid="session-new"
          title="Start a new chat session"
        >
          New chat
        </Button>
      </div>
      <ErrorBanner message={error} testId="session-error" />
      {open && (
        <ul
          className="absolute inset-x-2 top-full z-20 mt-1 max-h-80 overflow-y-auto rounded-md border border-zinc-200 bg-white shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
          data-testid="session-list"
        >
          {sessions.length === 0 && <li className="p-2 text-xs text-zinc-500">No chats yet. Send a message to start one.</li>}
          {sessions.map((s) => (
            <li
              key={s.id}
              className={`flex items-center gap-1 p-1.5 text-sm ${s.id === current ? "bg-indigo-50 dark:bg-indigo-950" : ""}`}
              data-testid="session-item"
              data-session-id={s.id}
            >
              {editing?.id === s.id ? (
                <form
                  className="flex flex-1 gap-1"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void saveTitle();
                  }}
                >
                  <input
                    autoFocus
                    aria-label="Chat title"
                    maxLength={200}
                    value={editing.title}
                    onChange={(e) => setEditing({ id: s.id, title: e.target.value })}
                    onKeyDown={(e) => e.key === "Escape" && setEditing(null)}
                    className="min-w-0 flex-1 rounded border border-zinc-300 bg-white px-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                    data-testid="session-title-input"
                  />
                  <Button size="sm" type="submit" variant="primary" data-testid="session-title-save">
                    Save
                  </Button>
                </form>
              ) : (
                <>
                  <button
                    type="button"
                    className="min-w-0 flex-1 text-left"
                    disabled={busy && s.id !== current}
                    onClick={() => {
                      setOpen(false);
                      onSwitch(s.id);
                    }}
                    data-testid="session-switch"
                  >
                    <span className="block truncate">{s.title || "Untitled chat"}</span>
                    <span className="block truncate text-xs text-zinc-500">
                      {s.message_count} messages{s.last_message_preview ? ` · ${s.last_message_preview}` : ""}
                    </span>
                  </button>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setEditing({ id: s.id, title: s.title })}
                    aria-label={`Rename ${s.title}`}
                    data-testid="session-rename"
                  >
                    Rename
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setToDelete(s)} aria-label={`Delete ${s.title}`} data-testid="session-delete">
                    Delete
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <Dialog open={toDelete !== null} onClose={() => setToDelete(null)} title="Delete this chat?" testId="session-delete-dialog">
        <p className="text-sm">
          “{toDelete?.title}” and its {toDelete?.message_count ?? 0} messages are removed. The usage it recorded stays in your usage figures. Files the agent
          changed stay as they are.
        </p>
        <div className="flex justify-end gap-2">
          <Button onClick={() => setToDelete(null)}>Keep it</Button>
          <Button variant="danger" onClick={() => void confirmDelete()} data-testid="session-delete-confirm">
            Delete
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
