"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { inputClass } from "./field";

/** The in-app replacement for window.confirm and window.prompt: one question at a time, answered through a promise. */
type Question =
  | { kind: "confirm"; title: string; message: string; confirmLabel: string; danger: boolean; resolve: (ok: boolean) => void }
  | { kind: "text"; title: string; label: string; initial: string; confirmLabel: string; resolve: (value: string | null) => void };

let current: Question | null = null;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function ask(q: Question) {
  // A new question answers an open one with "no" rather than leaving its caller waiting.
  if (current?.kind === "confirm") current.resolve(false);
  else if (current) current.resolve(null);
  current = q;
  emit();
}

/** Asks yes or no in a modal; resolves false on Cancel, Escape or the backdrop. */
export function askConfirm(o: { title: string; message: string; confirmLabel?: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => ask({ kind: "confirm", confirmLabel: "OK", danger: false, ...o, resolve }));
}

/** Asks for a line of text in a modal; resolves null on Cancel or Escape. */
export function askText(o: { title: string; label: string; initial?: string; confirmLabel?: string }): Promise<string | null> {
  return new Promise((resolve) => ask({ kind: "text", initial: "", confirmLabel: "OK", ...o, resolve }));
}

function answer(value: boolean | string | null) {
  const q = current;
  if (!q) return;
  current = null;
  emit();
  if (q.kind === "confirm") q.resolve(value === true);
  else q.resolve(typeof value === "string" ? value : null);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** Renders the open question; mounted once in the root layout. */
export function AskHost() {
  const q = useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
  return (
    <Dialog open={q !== null} onClose={() => answer(null)} title={q?.title ?? ""} testId="ask-dialog">
      {q?.kind === "confirm" && (
        <>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">{q.message}</p>
          <div className="flex justify-end gap-2">
            <Button onClick={() => answer(false)} data-testid="ask-cancel">
              Cancel
            </Button>
            <Button variant={q.danger ? "danger" : "primary"} onClick={() => answer(true)} data-testid="ask-confirm" autoFocus>
              {q.confirmLabel}
            </Button>
          </div>
        </>
      )}
      {q?.kind === "text" && <TextForm key={q.title + q.initial} label={q.label} initial={q.initial} confirmLabel={q.confirmLabel} />}
    </Dialog>
  );
}

function TextForm({ label, initial, confirmLabel }: { label: string; initial: string; confirmLabel: string }) {
  const [value, setValue] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus();
    // Like a file manager: select the name up to its extension, so typing replaces just that.
    const slash = initial.lastIndexOf("/") + 1;
    const dot = initial.lastIndexOf(".");
    el.setSelectionRange(slash, dot > slash ? dot : initial.length);
  }, [initial]);
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        answer(value);
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        {label}
        <input ref={input} className={inputClass} value={value} onChange={(e) => setValue(e.target.value)} data-testid="ask-input" />
      </label>
      <div className="flex justify-end gap-2">
        <Button onClick={() => answer(null)} data-testid="ask-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" data-testid="ask-confirm" disabled={!value.trim()}>
          {confirmLabel}
        </Button>
      </div>
    </form>
  );
}
