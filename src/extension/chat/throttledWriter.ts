// Writes the latest value at most once per interval, one write at a time, and always writes the
// final value: used to persist a streamed reply without one store write per fragment.

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ThrottledWriterOptions<T> {
  write: (value: T) => Promise<void>;
  intervalMs: number;
  /** A failed intermediate write is reported, not thrown: the next write carries the newer value. */
  onError: (error: unknown) => void;
  timers?: Timers;
}

export class ThrottledWriter<T> {
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private pending: { value: T } | undefined;
  private timer: unknown;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly timers: Timers;

  constructor(private readonly options: ThrottledWriterOptions<T>) {
    this.timers = options.timers ?? realTimers;
  }

  /** Remembers the value and writes it now or when the interval has passed. */
  offer(value: T): void {
    this.pending = { value };
    if (this.timer !== undefined) {
      return;
    }
    const wait = Math.max(0, this.lastWriteAt + this.options.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.writePending();
    }, wait);
  }

  /** Drops any pending value, waits for the write in flight, then writes `value`; rejects if it fails. */
  async finish(value: T): Promise<void> {
    this.cancel();
    await this.inFlight;
    await this.options.write(value);
  }

  cancel(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending = undefined;
  }

  private writePending(): void {
    const pending = this.pending;
    if (!pending) {
      return;
    }
    this.pending = undefined;
    this.lastWriteAt = this.timers.now();
    // Chained so writes reach the store in order even if one is slow.
    this.inFlight = this.inFlight
      .then(() => this.options.write(pending.value))
      .catch((error: unknown) => this.options.onError(error));
  }
}
