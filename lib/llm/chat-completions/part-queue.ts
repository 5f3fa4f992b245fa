/**
 * An async iterable fed by a producer that pushes (the LLM I/O thread's messages): one settled promise per item at most, no
 * stream layers. `onReturn` runs when the consumer stops early (break or throw in `for await`).
 */
export class PartQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  private finished: { error: unknown } | null = null;

  constructor(private readonly onReturn: () => void) {}

  push(item: T): void {
    if (this.finished) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  /** No more items; with an error, the consumer gets it after the queued items. */
  end(error?: unknown): void {
    if (this.finished) return;
    this.finished = { error };
    if (this.waiter) {
      const { resolve, reject } = this.waiter;
      this.waiter = null;
      if (error === undefined) resolve({ value: undefined, done: true });
      else reject(error);
    }
  }

  /** The next item if it is already here (pushed and not yet taken). */
  peek(): T | undefined {
    return this.items[this.head];
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++]!;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.finished) return this.finished.error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.finished.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.finished) {
      this.finished = { error: undefined };
      this.items = [];
      this.onReturn();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
