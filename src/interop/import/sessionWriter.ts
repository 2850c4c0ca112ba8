// Merges sessions into a store several at a time: a JSON store's creates are mostly waiting for
// the disk to flush, and a few in flight share its flushes (8 at once made a 50-message session's
// create ~5× cheaper on ext4 here). Two writes of one session never overlap — the second waits for
// the first — so importSession's read-then-write stays correct when a session comes twice. The
// first failure (a full disk) is rethrown by the next add or by drain; writes already under way
// finish, each whole.

export class SessionWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastBySession = new Map<string, Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  /** Waits until fewer than `limit` writes are under way, then starts this one. */
  async add(sessionId: string, write: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.limit) {
      await Promise.race(this.inFlight);
    }
    this.throwIfFailed();
    const previous = this.lastBySession.get(sessionId) ?? Promise.resolve();
    const task: Promise<void> = previous
      .then(write)
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.inFlight.delete(task);
        if (this.lastBySession.get(sessionId) === task) {
          this.lastBySession.delete(sessionId);
        }
      });
    this.inFlight.add(task);
    this.lastBySession.set(sessionId, task);
  }

  /** Waits for every write under way; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all([...this.inFlight]);
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) {
      throw this.failure.error;
    }
  }
}
