import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SearchHit, SearchOptions, SessionStore } from '../../core/store';
import { withFileLock } from '../fs/fileLock';
import { openSqliteStore } from '../sqlite/sqliteStore';
import { FeedCursor, START_CURSOR, readFeed } from './changeLog';
import { RedisConnection } from './redisConnection';
import { BucketKeys, allBuckets, bucketOf } from './redisKeys';
import { RedisReader } from './redisReader';
import { IndexCursors } from './indexCursors';

// Search without RediSearch: a local copy of the namespace in a SQLite store (sql.js FTS4, the
// same index, semantics and ranking as the SQLite backend), kept on disk per namespace and brought
// up to date from the change feed before each search. It is a cache, never a source of truth:
// deleting it loses nothing (it is rebuilt from Redis), and a copy too far behind the feed, or one
// whose cursors are unreadable, is rebuilt bucket by bucket. Processes sharing the cache take
// turns updating it (a file lock), and the cursors are saved only after the changes they cover are
// durable in the copy, so a crash at any point costs at most a re-read.

export interface RedisSearchOptions {
  connection: RedisConnection;
  reader: RedisReader;
  /** The namespace's cache folder. */
  cacheDirectory: string;
  prefix: string;
}

export class RedisSearch {
  private copy: Promise<SessionStore> | undefined;
  private readonly cursors: IndexCursors;
  private readonly buckets: BucketKeys[];

  constructor(private readonly options: RedisSearchOptions) {
    this.cursors = new IndexCursors(join(options.cacheDirectory, 'cursors.json'));
    this.buckets = allBuckets(options.prefix);
  }

  async search(words: readonly string[], options: SearchOptions): Promise<SearchHit[]> {
    const copy = await this.open();
    await this.catchUp(copy);
    options.signal?.throwIfAborted();
    return copy.search(words.join(' '), options);
  }

  async close(): Promise<void> {
    const copy = this.copy;
    this.copy = undefined;
    await (await copy?.catch(() => undefined))?.close();
  }

  private open(): Promise<SessionStore> {
    this.copy ??= (async () => {
      mkdirSync(this.options.cacheDirectory, { recursive: true });
      return openSqliteStore(join(this.options.cacheDirectory, 'index.sqlite'), { watch: false });
    })();
    return this.copy;
  }

  /** Brings the copy up to date with every bucket's feed. */
  private async catchUp(copy: SessionStore): Promise<void> {
    await withFileLock(this.options.cacheDirectory, async () => {
      const saved = this.cursors.read();
      const reads = await Promise.all(this.buckets.map((bucket) => readFeed(this.options.reader, bucket, saved.get(bucket.bucket) ?? START_CURSOR)));
      const next = new Map<number, FeedCursor>();
      for (const [index, read] of reads.entries()) {
        const bucket = this.buckets[index];
        const rebuild = read.gap || !saved.has(bucket.bucket);
        await (rebuild ? this.rebuildBucket(copy, bucket) : this.apply(copy, [...read.entries.map((entry) => entry.sessionId), ...read.expired]));
        next.set(bucket.bucket, read.cursor);
      }
      if (reads.some((read, index) => read.cursor.id !== saved.get(index)?.id || !saved.has(index))) {
        await this.cursors.write(next);
      }
    });
  }

  /** Makes the copy of each session match Redis: replaced, or removed when Redis has none. */
  private async apply(copy: SessionStore, sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) {
      return;
    }
    const local = new Set((await copy.list()).map((summary) => summary.id));
    for (const sessionId of new Set(sessionIds)) {
      const session = await this.options.reader.get(sessionId);
      if (local.has(sessionId)) {
        await copy.delete(sessionId);
      }
      if (session) {
        await copy.create(session);
      }
    }
  }

  /**
   * The feed cannot say what changed (the copy is new, or too far behind): drop the bucket's
   * sessions Redis no longer has, and copy every one it has again.
   */
  private async rebuildBucket(copy: SessionStore, bucket: BucketKeys): Promise<void> {
    const inRedis = new Set((await this.options.reader.bucket(bucket)).map((summary) => summary.id));
    const local = (await copy.list()).filter((summary) => bucketOf(summary.id) === bucket.bucket);
    const gone = local.filter((summary) => !inRedis.has(summary.id)).map((summary) => summary.id);
    await this.apply(copy, [...gone, ...inRedis]);
  }
}
