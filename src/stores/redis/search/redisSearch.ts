import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { storeUnavailable } from '../../core/errors';
import { Session } from '../../core/model';
import { SearchHit, SearchOptions } from '../../core/store';
import { tryWithFileLock } from '../fs/fileLock';
import { FeedCursor, FeedRead, START_CURSOR, feedEnd, readFeed } from './changeLog';
import { LocalSearchIndex } from './localSearchIndex';
import { RedisConnection } from './redisConnection';
import { BucketKeys, allBuckets } from './redisKeys';
import { RedisReader } from './redisReader';

// Search without RediSearch: a local index of the namespace (localSearchIndex.ts: a copy in the
// SQLite backend's layout, searched through the shared word index, so the same semantics and
// ranking), cached on disk per namespace and brought up to date from the change feed before each
// search. It is a cache, never a source of truth: deleting it loses nothing. Built from nothing,
// it reads every session once; after that only the sessions the feed names are read again, and a
// bucket whose feed has a gap (trimmed past the index, or begun again) is read whole. The file
// holds the cursors it covers, so it is never ahead of itself: saved after a build, and once the
// changes applied since the last save are worth more to a fresh process than the save costs.

export interface RedisSearchOptions {
  connection: RedisConnection;
  reader: RedisReader;
  /** The namespace's cache folder. */
  cacheDirectory: string;
  prefix: string;
  /** Hears what went wrong in the background (a save that failed: it is tried again later). */
  warn?: (message: string) => void;
}

/** The index's file in the namespace's cache folder. */
export const SEARCH_INDEX_FILE = 'search-index.sqlite';

/**
 * A fresh process re-reads and re-indexes what the file lacks (~0.4 ms a message) before its
 * first search; saving costs about as much as ~5,000 of those at 200k messages. Past this many
 * messages the save is due.
 */
const SAVE_AFTER_MESSAGES = 2_000;
/** Sessions read from Redis at once while catching up. */
const READ_BATCH = 64;

export class RedisSearch {
  private index: Promise<LocalSearchIndex> | undefined;
  /** One operation on the index at a time: catching up, searching, saving. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly buckets: BucketKeys[];
  private readonly file: string;
  private closed = false;
  /** How many unsaved messages make a save due; raised after a save that failed, so it is not retried at every search. */
  private saveDueAt = SAVE_AFTER_MESSAGES;

  constructor(private readonly options: RedisSearchOptions) {
    this.buckets = allBuckets(options.prefix);
    this.file = join(options.cacheDirectory, SEARCH_INDEX_FILE);
  }

  search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    if (this.closed) {
      return Promise.reject(storeUnavailable('could not search: the store is closed'));
    }
    return this.serialized(async () => {
      const index = await this.open();
      await this.catchUp(index);
      options.signal?.throwIfAborted();
      const hits = await index.search(query, options);
      if (index.unsavedMessages >= this.saveDueAt) {
        void this.serialized(() => this.save(index));
      }
      return hits;
    });
  }

  /** Lets what was asked finish (a search may have queued a save behind it), then frees the index. */
  async close(): Promise<void> {
    this.closed = true;
    for (let queue = this.queue; ; queue = this.queue) {
      await queue;
      if (queue === this.queue) {
        break;
      }
    }
    const index = this.index;
    this.index = undefined;
    await (await index?.catch(() => undefined))?.close();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private open(): Promise<LocalSearchIndex> {
    this.index ??= LocalSearchIndex.open({ file: this.file, of: `${this.options.prefix} in ${this.options.cacheDirectory}`, warn: (message) => this.options.warn?.(message) });
    this.index.catch(() => (this.index = undefined));
    return this.index;
  }

  /** Brings the index up to date with every bucket's feed. */
  private async catchUp(index: LocalSearchIndex): Promise<void> {
    if (index.feedCursors.size === 0) {
      await this.build(index);
    }
    const saved = index.feedCursors;
    const reads = await Promise.all(this.buckets.map((bucket) => readFeed(this.options.reader, bucket, saved.get(bucket.bucket) ?? START_CURSOR)));
    const changed = new Set<string>();
    const cursors = new Map<number, FeedCursor>();
    for (const [position, read] of reads.entries()) {
      const bucket = this.buckets[position];
      if (read.gap || !saved.has(bucket.bucket)) {
        await this.rebuildBucket(index, bucket);
      } else {
        noteChanges(index, read, changed);
      }
      cursors.set(bucket.bucket, read.cursor);
    }
    await this.copySessions(index, [...changed]);
    index.feedCursors = cursors;
  }

  /**
   * From nothing: where every feed ends first, then every session (so a change made meanwhile is
   * in the data, or after the cursors, or both), copied; then saved.
   */
  private async build(index: LocalSearchIndex): Promise<void> {
    const { connection, reader } = this.options;
    const ends = await Promise.all(this.buckets.map((bucket) => feedEnd(connection, reader, bucket)));
    const inRedis = (await reader.all()).map((summary) => summary.id);
    const kept = new Set(inRedis);
    index.sessionIds().filter((id) => !kept.has(id)).forEach((id) => index.remove(id));
    await this.copySessions(index, inRedis);
    index.feedCursors = new Map(ends.map((cursor, bucket) => [bucket, cursor]));
    await this.save(index);
  }

  /** The feed cannot say what changed: drop the bucket's sessions Redis no longer has, and copy every one it has again. */
  private async rebuildBucket(index: LocalSearchIndex, bucket: BucketKeys): Promise<void> {
    const inRedis = (await this.options.reader.bucket(bucket)).map((summary) => summary.id);
    const kept = new Set(inRedis);
    index.sessionIds(bucket.bucket).filter((id) => !kept.has(id)).forEach((id) => index.remove(id));
    await this.copySessions(index, inRedis);
  }

  /** Reads the sessions from Redis, a batch at a time, and makes the index's copies match. */
  private async copySessions(index: LocalSearchIndex, sessionIds: readonly string[]): Promise<void> {
    for (let start = 0; start < sessionIds.length; start += READ_BATCH) {
      const batch = sessionIds.slice(start, start + READ_BATCH);
      const sessions: (Session | undefined)[] = await Promise.all(batch.map((id) => this.options.reader.get(id)));
      index.replaceAll(batch.map((id, position) => [id, sessions[position]] as const)).forEach((problem) => this.options.warn?.(problem));
    }
  }

  private async save(index: LocalSearchIndex): Promise<void> {
    try {
      mkdirSync(this.options.cacheDirectory, { recursive: true });
      await tryWithFileLock(this.file, () => index.save(this.file));
      this.saveDueAt = SAVE_AFTER_MESSAGES;
    } catch (error) {
      this.saveDueAt = index.unsavedMessages + SAVE_AFTER_MESSAGES;
      this.options.warn?.(`could not save the search index ${this.file}: ${String(error)}`);
    }
  }
}

/** Sessions the feed names go on the list to copy; expired ones are simply gone. */
function noteChanges(index: LocalSearchIndex, read: FeedRead, changed: Set<string>): void {
  read.entries.forEach((entry) => changed.add(entry.sessionId));
  for (const sessionId of read.expired) {
    changed.delete(sessionId);
    if (index.has(sessionId)) {
      index.remove(sessionId);
    }
  }
}
