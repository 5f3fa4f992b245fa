"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { LogsPanel } from "./logs-panel";

const TerminalView = dynamic(() => import("./terminal-view"), {
  ssr: false,
  loading: () => <p className="p-2 text-xs text-zinc-400">Loading terminal…</p>,
});

type Tab = "logs" | number;

const tabClass = (selected: boolean) => `px-2 py-1 text-xs ${selected ? "bg-zinc-950 text-zinc-100" : "text-zinc-400 hover:text-zinc-200"}`;

/** The workbench's bottom panel: the container's logs and any number of terminal tabs, each a shell in the container. */
export function BottomPanel({ projectId, running, generation }: { projectId: string; running: boolean; generation: number }) {
  const [terminals, setTerminals] = useState<number[]>([1]);
  // A terminal connects when its tab is first opened and stays connected while other tabs are shown.
  const [opened, setOpened] = useState<number[]>([]);
  const [active, setActive] = useState<Tab>("logs");
  const nextId = useRef(2);

  const show = (tab: Tab) => {
    setActive(tab);
    if (tab !== "logs") setOpened((o) => (o.includes(tab) ? o : [...o, tab]));
  };
  const add = () => {
    const id = nextId.current++;
    setTerminals((t) => [...t, id]);
    show(id);
  };
  const close = (id: number) => {
    const rest = terminals.filter((t) => t !== id);
    setTerminals(rest);
    setOpened((o) => o.filter((t) => t !== id));
    if (active === id) setActive(rest.at(-1) ?? "logs");
  };

  return (
    <section aria-label="Logs and terminals" className="flex h-full min-h-0 flex-col bg-zinc-900" data-testid="bottom-panel">
      <div className="flex shrink-0 items-center border-b border-zinc-800">
        <div role="tablist" aria-label="Logs and terminals" className="flex items-center overflow-x-auto">
          <button
            type="button"
            role="tab"
            aria-selected={active === "logs"}
            className={tabClass(active === "logs")}
            onClick={() => show("logs")}
            data-testid="logs-tab"
          >
            Logs
          </button>
          {terminals.map((id) => (
            <div key={id} className={`flex items-center ${tabClass(active === id)}`} data-testid="terminal-tab" data-terminal={id}>
              <button
                type="button"
                role="tab"
                aria-selected={active === id}
                title="Delete closes this terminal"
                onClick={() => show(id)}
                onKeyDown={(e) => {
                  if (e.key === "Delete") close(id);
                }}
              >
                Terminal {id}
              </button>
              {/* A tab list may hold only tabs: the × is for the mouse; the keyboard closes a tab with Delete. */}
              <span
                aria-hidden
                title={`Close Terminal ${id}`}
                data-testid="terminal-close"
                className="ml-1 w-4 cursor-pointer rounded text-center hover:bg-zinc-700"
                onClick={() => close(id)}
              >
                ×
              </span>
            </div>
          ))}
        </div>
        <button
          type="button"
          aria-label="New terminal"
          title="New terminal"
          className="px-2 py-1 text-xs text-zinc-400 hover:text-zinc-100"
          onClick={add}
          data-testid="new-terminal"
        >
          +
        </button>
      </div>
      <div className="relative min-h-0 flex-1">
        <div className={`absolute inset-0 ${active === "logs" ? "" : "hidden"}`}>
          <LogsPanel projectId={projectId} running={running} generation={generation} />
        </div>
        {opened
          .filter((id) => terminals.includes(id))
          .map((id) => (
            <div key={id} className={`absolute inset-0 ${active === id ? "" : "hidden"}`} role="tabpanel" aria-label={`Terminal ${id}`}>
              <TerminalView projectId={projectId} label={`Terminal ${id}`} visible={active === id} />
            </div>
          ))}
      </div>
    </section>
  );
}
