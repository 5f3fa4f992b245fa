import { appendDeploymentLog } from "@/prisma-free-db/queries/deployments";
import type { Queryable } from "@/prisma-free-db/client";

const FLUSH_MS = 500;
/** Build output kept in full; beyond it only the last lines are kept (appended when the build ends). */
export const LOG_LIMIT_CHARS = 256 * 1024;
const TAIL_LINES = 60;

/**
 * A deployment's build log, appended to the stored log at most every 500 ms while the build runs, so
 * followers see lines as they arrive. The stored log only ever grows (followers read by offset): output
 * past LOG_LIMIT_CHARS is dropped except its last lines, which are added with a marker at the end.
 */
export class BuildLog {
  private text = "";
  private stored = 0;
  private skipped = 0;
  private tail: string[] = [];
  private partial = "";
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly deploymentId: string,
  ) {}

  /** A line of Slipway's own, time-stamped. */
  say(line: string) {
    this.flushPartial();
    this.text += `[${new Date().toISOString()}] ${line}\n`;
    this.schedule();
  }

  /** Raw build output (any chunking). */
  output(chunk: string) {
    if (!chunk) return;
    if (this.text.length < LOG_LIMIT_CHARS) {
      const room = LOG_LIMIT_CHARS - this.text.length;
      this.text += chunk.slice(0, room);
      chunk = chunk.slice(room);
      if (!chunk) return this.schedule();
    }
    this.skipped += chunk.length;
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    this.tail.push(...lines);
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
  }

  private flushPartial() {
    if (this.skipped > 0) {
      if (this.partial) this.tail.push(this.partial);
      this.partial = "";
      this.text += `\n[… ${this.skipped} characters of output skipped; the last ${this.tail.length} lines follow …]\n${this.tail.join("\n")}\n`;
      this.skipped = 0;
      this.tail = [];
    } else if (this.text && !this.text.endsWith("\n")) this.text += "\n";
  }

  private schedule() {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, FLUSH_MS);
  }

  /** Writes what is new; calls are serialized so appends never interleave. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const pending = this.text.slice(this.stored);
      if (!pending) return;
      this.stored += pending.length;
      await appendDeploymentLog(this.db, { id: this.deploymentId, text: pending }).catch(() => undefined);
    });
    return this.writing;
  }

  /** Stops the timer and returns the part not stored yet (written with the final state). */
  async finish(): Promise<string> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushPartial();
    await this.writing;
    const rest = this.text.slice(this.stored);
    this.stored = this.text.length;
    return rest;
  }
}
