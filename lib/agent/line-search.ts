import path from "node:path";
import { Worker } from "node:worker_threads";

export interface LineMatch {
  path: string;
  /** 1-based. */
  line: number;
  /** The line, cut at 300 characters. */
  text: string;
}

/** A batch of lines took longer than the search allows (the regular expression backtracks without end). */
export class LineSearchTimeout extends Error {}

/**
 * Files are sent to the worker in batches of about this much text; the main thread reads the next batch meanwhile,
 * and handles its other I/O between batches (the files service reads synchronously).
 */
const BATCH_CHARS = 512 * 1024;

/**
 * Finds the first `limit` lines of text files that match a regular expression, on a worker thread of its own
 * (line-search-worker.mjs), started with the first batch. A batch that takes longer than `timeoutMs` stops the
 * worker and fails with LineSearchTimeout: nested repetition such as `(a+)+$` takes exponential time on some lines,
 * and on the main thread it would stop every chat, request and preview of the server until it ended.
 */
export class LineSearch {
  private worker: Worker | null = null;
  private readonly matches: LineMatch[] = [];
  private batch: Array<{ path: string; text: string }> = [];
  private batchChars = 0;
  /** The batch the worker is matching now. */
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly pattern: RegExp,
    private readonly opts: { limit: number; timeoutMs: number },
  ) {}

  /** True once `limit` matches were found: files added after that are not searched. */
  get full(): boolean {
    return this.matches.length >= this.opts.limit;
  }

  /** Adds a file; when a batch is complete, waits for the previous one's matches, sends it and yields to other I/O. */
  async add(file: { path: string; text: string }): Promise<void> {
    this.batch.push(file);
    this.batchChars += file.text.length;
    if (this.batchChars < BATCH_CHARS) return;
    await this.send();
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The matches, in file and line order, once every added file is searched. */
  async results(): Promise<LineMatch[]> {
    await this.send();
    await this.inFlight;
    return this.matches.slice(0, this.opts.limit);
  }

  /** Stops the worker (a batch being matched is rejected). */
  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private async send(): Promise<void> {
    await this.inFlight;
    const files = this.batch;
    this.batch = [];
    this.batchChars = 0;
    if (files.length === 0 || this.full) return;
    const matching = this.match(files, this.opts.limit - this.matches.length).then((found) => void this.matches.push(...found));
    matching.catch(() => undefined); // awaited by the next send or by results()
    this.inFlight = matching;
  }

  private match(files: Array<{ path: string; text: string }>, limit: number): Promise<LineMatch[]> {
    const worker = (this.worker ??= new Worker(path.join(import.meta.dirname, "line-search-worker.mjs"), {
      workerData: { source: this.pattern.source, flags: this.pattern.flags },
    }));
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      };
      const onMessage = (found: LineMatch[]) => {
        done();
        resolve(found);
      };
      const onError = (error: Error) => {
        done();
        reject(error);
      };
      const onExit = () => {
        done();
        reject(new Error("the search was stopped"));
      };
      const timer = setTimeout(() => {
        done();
        this.close();
        reject(new LineSearchTimeout(`matching took longer than ${this.opts.timeoutMs} ms`));
      }, this.opts.timeoutMs);
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.postMessage({ files, limit });
    });
  }
}
