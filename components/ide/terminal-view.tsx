"use client";

import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import type { TerminalClientFrame, TerminalServerFrame } from "@/lib/shared/terminal-protocol";
import { Button } from "../ui/button";

type State = "connecting" | "open" | "closed";

/**
 * One xterm.js terminal attached to a shell in the project's container over the terminal WebSocket
 * (lib/shared/terminal-protocol.ts). Loaded only in the browser (next/dynamic), so xterm stays out of
 * the server bundle and the first paint. Fits its box whenever the box changes size.
 */
export default function TerminalView({ projectId, label, visible }: { projectId: string; label: string; visible: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const [state, setState] = useState<State>("connecting");
  const [generation, setGeneration] = useState(0);

  const send = (frame: TerminalClientFrame) => {
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };

  useEffect(() => {
    const el = box.current!;
    const t = new Terminal({
      cursorBlink: true,
      fontSize: 12,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      scrollback: 5000,
      theme: { background: "#09090b" },
    });
    const f = new FitAddon();
    t.loadAddon(f);
    t.open(el);
    term.current = t;
    fit.current = f;
    const refit = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) f.fit();
    };
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(el);
    const input = t.onData((data) => send({ type: "input", data }));
    const resize = t.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
    return () => {
      observer.disconnect();
      input.dispose();
      resize.dispose();
      t.dispose();
      term.current = null;
    };
  }, []);

  useEffect(() => {
    const t = term.current!;
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}/api/v1/projects/${projectId}/terminal?cols=${t.cols}&rows=${t.rows}`);
    ws.binaryType = "arraybuffer";
    socket.current = ws;
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data !== "string") {
        t.write(new Uint8Array(ev.data));
        return;
      }
      const frame = JSON.parse(ev.data) as TerminalServerFrame;
      if (frame.type === "ready") {
        setState("open");
        // The box may have changed while the shell started.
        send({ type: "resize", cols: t.cols, rows: t.rows });
      } else if (frame.type === "error") t.write(`\r\n\x1b[31m${frame.message}\x1b[0m\r\n`);
      else if (frame.type === "exit") t.write(`\r\n\x1b[90m[shell exited${frame.code === null ? "" : ` with code ${frame.code}`}]\x1b[0m\r\n`);
    };
    ws.onclose = () => {
      if (socket.current === ws) setState("closed");
    };
    return () => {
      ws.onclose = null;
      ws.close();
    };
  }, [projectId, generation]);

  useEffect(() => {
    if (!visible) return;
    const el = box.current;
    if (el && el.clientWidth > 0) fit.current?.fit();
    term.current?.focus();
  }, [visible]);

  return (
    <div className="flex h-full min-h-0 flex-col bg-zinc-950" data-testid="terminal-view" data-state={state}>
      {state !== "open" && (
        <div className="flex shrink-0 items-center gap-2 border-b border-zinc-800 px-2 py-1 text-xs text-zinc-400" role="status">
          {state === "connecting" ? "Starting a shell in the container…" : "This terminal is closed."}
          {state === "closed" && (
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Reconnect ${label}`}
              data-testid="terminal-reconnect"
              className="text-zinc-200 hover:bg-zinc-800 dark:hover:bg-zinc-800"
              onClick={() => {
                term.current?.write("\r\n\x1b[90m[reconnecting]\x1b[0m\r\n");
                setState("connecting");
                setGeneration((g) => g + 1);
              }}
            >
              Reconnect
            </Button>
          )}
        </div>
      )}
      <div ref={box} className="min-h-0 flex-1 overflow-hidden p-1" aria-label={label} role="region" />
    </div>
  );
}
