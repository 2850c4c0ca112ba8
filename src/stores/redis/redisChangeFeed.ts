import { StoreChange } from '../../core/store';
import { FeedCursor, readFeed } from './changeLog';
import { RedisConnection } from './redisConnection';
import { BucketKeys, allBuckets } from './redisKeys';
import { RedisReader } from './redisReader';

// Other clients' changes, live. Each write script rings its bucket's sharded pub/sub channel; a
// bell makes this client read the bucket's change feed from where it left off and report what
// others wrote (its own writes it reported as it made them). Pub/sub is at-most-once, so the feed
// is also read after every reconnect and every few seconds: a lost bell delays a change, never
// loses it.

const POLL_MS = 2_000;

export class RedisChangeFeed {
  private started: Promise<void> | undefined;
  private readonly buckets: BucketKeys[];
  private readonly cursors = new Map<number, FeedCursor>();
  private readonly reading = new Map<number, Promise<void>>();
  private readonly announcedExpired = new Set<string>();
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly reader: RedisReader,
    private readonly writer: string,
    private readonly emit: (change: StoreChange) => void,
    /** Drops a bucket's expired sessions from its index (they are already invisible to reads). */
    private readonly sweep: (bucket: BucketKeys) => Promise<unknown>,
  ) {
    this.buckets = allBuckets(connection.spec.prefix);
  }

  /**
   * Notes where each bucket's feed ends: changes after this are reported once someone listens.
   * Called as the store opens, so a listener added right after hears everything since.
   */
  async mark(): Promise<void> {
    await Promise.all(this.buckets.map(async (bucket) => this.cursors.set(bucket.bucket, await this.latest(bucket))));
  }

  /** Starts following (once); resolves when the bells are heard. */
  start(): Promise<void> {
    this.started ??= this.subscribe();
    return this.started;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await Promise.allSettled([...this.reading.values()]);
  }

  private async subscribe(): Promise<void> {
    const subscriber = await this.connection.subscriber();
    const byChannel = new Map(this.buckets.map((bucket) => [bucket.bell, bucket.bucket]));
    subscriber.on('smessage', (channel: string) => {
      const bucket = byChannel.get(channel);
      if (bucket !== undefined) {
        this.catchUp(bucket);
      }
    });
    // Channels of different buckets live in different slots: one SSUBSCRIBE each.
    await Promise.all(this.buckets.map((bucket) => subscriber.ssubscribe(bucket.bell)));
    subscriber.on('ready', () => this.catchUpAll());
    this.catchUpAll();
    this.poll = setInterval(() => this.catchUpAll(), POLL_MS);
    this.poll.unref();
  }

  /** Where the feed ends now: changes after it are news. */
  private async latest(bucket: BucketKeys): Promise<FeedCursor> {
    const last = await this.connection.client.xrevrange(bucket.changes, '+', '-', 'COUNT', 1);
    return { id: last[0]?.[0] ?? '0-0', added: 0 };
  }

  private catchUpAll(): void {
    this.buckets.forEach((bucket) => this.catchUp(bucket.bucket));
  }

  /** Reads one bucket's feed; reads of one bucket never overlap, so changes are reported in feed order. */
  private catchUp(bucket: number): void {
    if (this.stopped || !this.cursors.has(bucket)) {
      return;
    }
    const previous = this.reading.get(bucket) ?? Promise.resolve();
    const next = previous.then(() => this.read(bucket)).catch(() => undefined);
    this.reading.set(bucket, next);
  }

  private async read(bucket: number): Promise<void> {
    const from = this.cursors.get(bucket);
    if (this.stopped || !from) {
      return;
    }
    const read = await readFeed(this.reader, this.buckets[bucket], from);
    this.cursors.set(bucket, read.cursor);
    if (read.gap) {
      this.emit({ kind: 'reloaded', external: true });
    }
    for (const entry of read.entries) {
      if (entry.writer !== this.writer) {
        this.emit({ kind: entry.kind, sessionId: entry.sessionId, external: true });
      }
    }
    if (read.expired.length > 0) {
      // Best effort: a server refusing writes (out of memory) leaves them for a later write.
      await this.sweep(this.buckets[bucket]).catch(() => undefined);
    }
    for (const sessionId of read.expired) {
      if (!this.announcedExpired.has(sessionId)) {
        this.announcedExpired.add(sessionId);
        this.emit({ kind: 'deleted', sessionId, external: true });
      }
    }
  }
}
