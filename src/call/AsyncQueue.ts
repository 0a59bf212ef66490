/** Options of an AsyncQueue: when it counts as full, and whom to tell. */
export interface AsyncQueueOptions {
  /** Buffered values at which `onFull` is called; Infinity for an unbounded queue. */
  highWaterMark: number;
  /** Called once the queue fills: the producer should pause. */
  onFull: () => void;
  /** Called once a full queue has drained to half: the producer may go on. */
  onDrained: () => void;
}

const defaultOptions: AsyncQueueOptions = Object.freeze({ highWaterMark: Infinity, onFull: () => undefined, onDrained: () => undefined });

/**
 * A push-driven async iterable: producers `push`, `end` or `fail`; one
 * consumer iterates. This is where callback and event-emitter APIs become
 * async iterables. With a `highWaterMark` it tells the producer to pause
 * when the consumer falls behind, and to go on once it has caught up, so a
 * slow reader holds back a fast stream instead of buffering all of it.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly opts: AsyncQueueOptions;
  private full = false;
  private readonly items: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiter: ((e: unknown) => void) | null = null;
  private done = false;
  private error: { reason: unknown } | null = null;
  private head = 0;

  constructor(options: Partial<AsyncQueueOptions> = {}) {
    this.opts = { ...defaultOptions, ...options };
  }

  /** How many values wait for the consumer. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds a value; ignored after `end` or `fail`. */
  push(value: T): void {
    if (this.done) return;
    if (this.waiter !== null) {
      const w = this.waiter;
      this.waiter = this.failWaiter = null;
      w({ value, done: false });
    } else {
      this.items.push(value);
      if (!this.full && this.size >= this.opts.highWaterMark) {
        this.full = true;
        this.opts.onFull();
      }
    }
  }

  /** Ends the stream after the values already pushed. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.wake();
  }

  /** Ends the stream with an error, raised after the values already pushed. */
  fail(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = { reason };
    this.wake();
  }

  /** True once `end` or `fail` was called. */
  get closed(): boolean {
    return this.done;
  }

  private wake(): void {
    if (this.waiter === null || this.head < this.items.length) return;
    const w = this.waiter;
    const f = this.failWaiter;
    this.waiter = this.failWaiter = null;
    if (this.error !== null) f?.(toError(this.error.reason));
    else w({ value: undefined, done: true });
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++] as T;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      if (this.full && this.size <= this.opts.highWaterMark / 2) {
        this.full = false;
        this.opts.onDrained();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) {
      return this.error !== null ? Promise.reject(toError(this.error.reason)) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: () => {
        this.end();
        this.items.length = 0;
        this.head = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
