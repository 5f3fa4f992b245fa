"use client";

import { X } from "lucide-react";
import { useEffect, useSyncExternalStore } from "react";
import { ApiClientError, errorMessage } from "@/lib/client/api-client";

export interface Toast {
  id: number;
  kind: "error" | "info";
  message: string;
  /** The server's x-request-id for a failed API call, shown so a user can report it. */
  requestId?: string;
}

const LIFETIME_MS = { info: 5_000, error: 12_000 } as const;

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Shows a toast; anything can call it, the one <Toaster/> in the root layout renders it. */
export function showToast(t: Omit<Toast, "id">): number {
  const id = nextId++;
  toasts = [...toasts.slice(-4), { ...t, id }];
  emit();
  return id;
}

/** An error as a toast: the readable message plus the request id when the server sent one. */
export function toastError(error: unknown, context?: string) {
  const message = errorMessage(error);
  return showToast({
    kind: "error",
    message: context ? `${context}: ${message}` : message,
    requestId: error instanceof ApiClientError ? error.requestId : undefined,
  });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The toast stack (bottom right): errors are announced as alerts, the rest politely; each goes by itself or on Escape. */
export function Toaster() {
  const list = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => toasts,
  );
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2" data-testid="toasts">
      {list.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </div>
  );
}

function ToastView({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => dismissToast(toast.id), LIFETIME_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.kind]);
  const error = toast.kind === "error";
  return (
    <div
      role={error ? "alert" : "status"}
      data-testid="toast"
      data-kind={toast.kind}
      onKeyDown={(e) => {
        if (e.key === "Escape") dismissToast(toast.id);
      }}
      className={`pointer-events-auto flex items-start gap-2 rounded-md border px-3 py-2 text-sm shadow-lg ${
        error
          ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          : "border-zinc-200 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      }`}
    >
      <div className="min-w-0 flex-1">
        <p className="break-words">{toast.message}</p>
        {toast.requestId && (
          <p className="mt-1 text-xs opacity-80">
            Request id:{" "}
            <code className="select-all" data-testid="toast-request-id">
              {toast.requestId}
            </code>
          </p>
        )}
      </div>
      <button
        type="button"
        onClick={() => dismissToast(toast.id)}
        aria-label="Dismiss notification"
        title="Dismiss (Esc)"
        className="rounded p-0.5 hover:bg-black/10 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-white/10"
      >
        <X aria-hidden size={14} />
      </button>
    </div>
  );
}
