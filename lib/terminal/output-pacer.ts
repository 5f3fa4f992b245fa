import type { Readable } from "node:stream";

export interface PacerOptions {
  /** Average bytes per second let through; up to one second's worth may go out at once. */
  bytesPerSecond: number;
  /** Reading stops while more than this is waiting to reach the client, and resumes below half of it. */
  highWaterBytes: number;
}

/**
 * Forwards a stream's chunks to `send`, pausing the stream (never dropping data) while the rate budget is
 * spent or the client has not taken what was sent. A paused stream makes the producer (a shell's `yes`)
 * block on its writes, so a runaway command costs the server no more than the budget.
 * Returns a function that stops pacing (clears the pending timer).
 */
export function paceOutput(stream: Readable, send: (chunk: Buffer) => void, buffered: () => number, opts: PacerOptions): () => void {
  let tokens = opts.bytesPerSecond;
  let refilledAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const refill = () => {
    const now = performance.now();
    tokens = Math.min(opts.bytesPerSecond, tokens + ((now - refilledAt) / 1000) * opts.bytesPerSecond);
    refilledAt = now;
  };
  const check = () => {
    timer = undefined;
    if (stopped) return;
    refill();
    if (tokens >= 0 && buffered() <= opts.highWaterBytes / 2) {
      stream.resume();
      return;
    }
    const wait = tokens < 0 ? Math.ceil((-tokens / opts.bytesPerSecond) * 1000) : 20;
    timer = setTimeout(check, Math.max(wait, 5));
  };

  stream.on("data", (chunk: Buffer) => {
    if (stopped) return;
    refill();
    send(chunk);
    tokens -= chunk.length;
    if ((tokens < 0 || buffered() > opts.highWaterBytes) && !timer) {
      stream.pause();
      check();
    }
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
