"use client";

import type { ChatMode } from "@/lib/shared/chat-protocol";

const modes: Array<{ value: ChatMode; label: string; title: string }> = [
  { value: "build", label: "Build", title: "The agent changes the project's files and runs commands" },
  { value: "plan", label: "Plan", title: "The agent only reads the project and answers with a plan; nothing changes" },
];

/** The composer's Build/Plan switch: a plan-mode message runs with read-only tools and is answered with a plan. */
export function ModeToggle({ value, onChange }: { value: ChatMode; onChange: (mode: ChatMode) => void }) {
  return (
    <div role="group" aria-label="Chat mode" className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700" data-testid="chat-mode">
      {modes.map((m) => (
        <button
          key={m.value}
          type="button"
          aria-pressed={value === m.value}
          title={m.title}
          onClick={() => onChange(m.value)}
          data-testid={`chat-mode-${m.value}`}
          className={`rounded px-2 py-0.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${
            value === m.value ? "bg-indigo-600 text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          }`}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}
