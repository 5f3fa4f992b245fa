import path from "node:path";
import { Worker } from "node:worker_threads";
import type { StreamEvents, StreamFailure, StreamRequest } from "./http-stream";
import type { ModelPart } from "./model-part";

export type ToWorker = { type: "start"; id: number; request: StreamRequest } | { type: "cancel"; id: number };
export type FromWorker =
  | { type: "response"; id: number }
  | { type: "parts"; id: number; parts: ModelPart[] }
  | { type: "end"; id: number }
  | { type: "fail"; id: number; failure: StreamFailure };

/**
 * The main thread's side of the LLM I/O thread (io-worker.ts): one worker for the process, started on first use;
 * it holds the process open only while streams are in flight. If it dies, the streams it carried fail and the next
 * call starts a new one.
 */
export class IoThread {
  private readonly worker: Worker;
  private readonly streams = new Map<number, StreamEvents>();
  private nextId = 1;
  dead = false;

  constructor(entry = path.join(import.meta.dirname, "io-worker-entry.mjs")) {
    this.worker = new Worker(entry);
    this.worker.unref();
    this.worker.on("message", (batch: FromWorker[]) => {
      for (const m of batch) this.onMessage(m);
    });
    const died = (why: string) => {
      this.dead = true;
      for (const events of this.streams.values()) events.fail({ kind: "closed", message: `The LLM I/O thread stopped (${why}).` });
      this.streams.clear();
    };
    this.worker.on("error", (error) => died(error.message));
    this.worker.on("exit", (code) => died(`exit code ${code}`));
  }

  /** Streams this thread carries now. */
  get inFlight(): number {
    return this.streams.size;
  }

  start(request: StreamRequest, events: StreamEvents): { cancel: () => void } {
    const id = this.nextId++;
    this.streams.set(id, events);
    if (this.streams.size === 1) this.worker.ref(); // a stream in flight keeps the process alive, as a socket would
    this.worker.postMessage({ type: "start", id, request } satisfies ToWorker);
    return {
      cancel: () => {
        if (!this.forget(id)) return;
        this.worker.postMessage({ type: "cancel", id } satisfies ToWorker);
      },
    };
  }

  private onMessage(m: FromWorker) {
    const events = this.streams.get(m.id);
    if (!events) return; // cancelled meanwhile
    switch (m.type) {
      case "response":
        return events.response();
      case "parts":
        return events.parts(m.parts);
      case "end":
        this.forget(m.id);
        return events.end();
      case "fail":
        this.forget(m.id);
        return events.fail(m.failure);
    }
  }

  private forget(id: number): boolean {
    const known = this.streams.delete(id);
    if (known && this.streams.size === 0) this.worker.unref();
    return known;
  }
}

let thread: IoThread | undefined;

/** The process's I/O thread, started now if it is not running (loading it takes a few hundred ms). */
export function ioThread(): IoThread {
  if (!thread || thread.dead) thread = new IoThread();
  return thread;
}

/** Streams a request on the LLM I/O thread; `cancel` closes its connection and silences its events. */
export function streamOnIoThread(request: StreamRequest, events: StreamEvents): { cancel: () => void } {
  return ioThread().start(request, events);
}
