"use client";

import { useEffect, useRef, useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { containerApi } from "@/lib/client/container-api";

const MAX_CHARS = 200_000;

/** The container's log stream plus a command box that runs `exec` in the container; a new `generation` reconnects the stream. */
export function LogsPanel({ projectId, running, generation }: { projectId: string; running: boolean; generation: number }) {
  const [text, setText] = useState("");
  const [command, setCommand] = useState("");
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<string[]>([]);
  const [historyIndex, setHistoryIndex] = useState(-1);
  const pre = useRef<HTMLPreElement>(null);

  const append = (chunk: string) => setText((t) => (t + chunk).slice(-MAX_CHARS));

  useEffect(() => {
    if (!running) return;
    const ctrl = new AbortController();
    (async () => {
      try {
        const res = await containerApi.follow(projectId, ctrl.signal);
        setText("");
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          append(value);
        }
      } catch (e) {
        if (!ctrl.signal.aborted) append(`\n[log stream ended: ${errorMessage(e)}]\n`);
      }
    })();
    return () => ctrl.abort();
  }, [projectId, running, generation]);

  useEffect(() => {
    const el = pre.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [text]);

  const run = async (e: React.FormEvent) => {
    e.preventDefault();
    const cmd = command.trim();
    if (!cmd || busy) return;
    setBusy(true);
    setHistory((h) => [cmd, ...h.filter((x) => x !== cmd)].slice(0, 50));
    setHistoryIndex(-1);
    setCommand("");
    append(`\n$ ${cmd}\n`);
    try {
      const r = await containerApi.exec(projectId, cmd);
      append(
        `${r.output}${r.output.endsWith("\n") || !r.output ? "" : "\n"}${r.timed_out ? "[timed out]\n" : ""}${r.truncated ? "[output truncated]\n" : ""}[exit ${r.exit_code ?? "?"} · ${r.duration_ms} ms]\n`,
      );
    } catch (err) {
      append(`[${errorMessage(err)}]\n`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Container logs" className="flex h-full min-h-0 flex-col bg-zinc-950 text-zinc-100" data-testid="logs-panel">
      <pre ref={pre} className="min-h-0 flex-1 overflow-auto p-2 font-mono text-xs leading-5 whitespace-pre-wrap" data-testid="logs-output" aria-live="off">
        {text || (running ? "Waiting for output…" : "The container is not running.")}
      </pre>
      <form onSubmit={run} className="flex items-center gap-2 border-t border-zinc-800 px-2 py-1">
        <span aria-hidden className="font-mono text-xs text-emerald-400">
          $
        </span>
        <input
          aria-label="Command to run in the container"
          data-testid="exec-input"
          value={command}
          disabled={busy}
          onChange={(e) => setCommand(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowUp" || e.key === "ArrowDown") {
              e.preventDefault();
              const i = Math.max(-1, Math.min(history.length - 1, historyIndex + (e.key === "ArrowUp" ? 1 : -1)));
              setHistoryIndex(i);
              setCommand(i < 0 ? "" : history[i]!);
            }
          }}
          placeholder={busy ? "Running…" : "Run a command in the container, e.g. ls -la"}
          className="flex-1 bg-transparent font-mono text-xs outline-none placeholder:text-zinc-500"
        />
      </form>
    </section>
  );
}
