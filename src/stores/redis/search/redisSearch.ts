import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { storeUnavailable } from '../../../core/errors';
import { SessionSummary } from '../../../core/model';
import { SearchHit, SearchOptions } from '../../../core/store';
import { IndexProgress } from '../../../core/wordIndex/indexedSearch';
import { describeIoCause } from '../../fs/ioErrors';
import { ensureDirectory, writeAccess } from '../../fs/writeAccess';
import { CachedSearch } from '../../shared/search/cachedSearch';
import { FeedCursor, FeedRead, START_CURSOR, feedEnd, readFeed } from '../changeLog';
import { RedisConnection } from '../redisConnection';
import { BucketKeys, allBuckets } from '../redisKeys';
import { RedisReader } from '../redisReader';
import { namespaceSearchSource } from './namespaceSource';
import { SEARCH_STATE_FILE, SearchState } from './searchState';

// Search without RediSearch: the word index every store shares (so the same semantics and
// ranking), kept per namespace in a local cache folder, reading sessions straight from Redis.
// Before each search the change feed says what changed since the last one (searchState.ts keeps
// each session's version and facts, and the feed cursors); a bucket whose feed has a gap (trimmed
// past the cursor, or begun again) is listed whole. Built from nothing, every session is read
// once. It is a cache, never a source of truth: deleting the folder loses nothing.

export interface RedisSearchOptions {
  connection: RedisConnection;
  reader: RedisReader;
  /** The namespace's cache folder. */
  cacheDirectory: string;
  prefix: string;
  /** Hears what went wrong in the background (a save that failed: it is tried again later). */
  warn?: (message: string) => void;
  onProgress?: IndexProgress;
}

/** The word index's file in the namespace's cache folder. */
export const SEARCH_WORDS_FILE = 'search-words.bin';
/** What earlier versions kept there (a whole copy of the namespace): removed once the new index is saved. */
const FORMER_COPY = 'search-index.sqlite';

export class RedisSearch {
  private state: Promise<SearchState> | undefined;
  /** The state the word index reads versions and facts from (empty until loaded). */
  private current = new SearchState();
  private readonly words: CachedSearch;
  /** One operation on the index at a time: catching up, searching, saving. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly buckets: BucketKeys[];
  private readonly stateFile: string;
  private readonly of: string;
  private closed = false;

  constructor(private readonly options: RedisSearchOptions) {
    const folder = options.cacheDirectory;
    this.buckets = allBuckets(options.prefix);
    this.stateFile = join(folder, SEARCH_STATE_FILE);
    this.of = `${options.prefix} in ${folder}`;
    this.words = new CachedSearch({
      file: join(folder, SEARCH_WORDS_FILE),
      of: this.of,
      source: namespaceSearchSource(options.reader, () => this.current),
      writable: () => writeAccess([folder]).writable,
      onSaveFailure: (error) => options.warn?.(`could not save the search index: ${describeIoCause(error)}`),
      onProgress: options.onProgress,
      // The versions the index is saved at mean something only beside the state that made them.
      beforeSave: () => this.saveState(this.current),
    });
  }

  search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return this.serialized(async () => {
      await this.catchUp();
      options.signal?.throwIfAborted();
      return this.words.search(query, options);
    });
  }

  /** Brings the index up to date now (the editor does so before the first search). */
  prepare(): Promise<void> {
    return this.serialized(() => this.catchUp());
  }

  /**
   * verify --repair: a saved index is thrown away and built again from what Redis holds (none
   * saved: the next search builds one). Says so when what was saved could not be read.
   */
  repair(): Promise<string | undefined> {
    return this.serialized(async () => {
      if (!existsSync(this.stateFile)) {
        return this.words.repair();
      }
      const unreadable = (await SearchState.load(this.stateFile, this.of)) === undefined;
      const state = await this.open();
      await this.build(state);
      const wordsSaid = await this.words.repair();
      return unreadable ? `rebuilt the search index of ${state.ids().length} sessions: ${this.stateFile} could not be read` : wordsSaid;
    });
  }

  /** Lets what was asked finish, then passes the work on to the next process (CachedSearch.close saves the state with the index). */
  async close(): Promise<void> {
    this.closed = true;
    for (let queue = this.queue; ; queue = this.queue) {
      await queue;
      if (queue === this.queue) {
        break;
      }
    }
    await this.words.close();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(storeUnavailable('could not search: the store is closed'));
    }
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private open(): Promise<SearchState> {
    this.state ??= SearchState.load(this.stateFile, this.of).then((loaded) => {
      this.current = loaded ?? new SearchState();
      return this.current;
    });
    return this.state;
  }

  /** The state up to date with every bucket's feed, the word index told of every change, the index caught up. */
  private async catchUp(): Promise<void> {
    const state = await this.open();
    if (!state.built) {
      await this.build(state);
    }
    const saved = state.cursors;
    const reads = await Promise.all(this.buckets.map((bucket) => readFeed(this.options.reader, bucket, saved.get(bucket.bucket) ?? START_CURSOR)));
    const cursors = new Map<number, FeedCursor>();
    for (const [position, read] of reads.entries()) {
      const bucket = this.buckets[position];
      if (read.gap || !saved.has(bucket.bucket)) {
        await this.relistBucket(state, bucket);
      } else {
        this.noteFeed(state, read);
      }
      cursors.set(bucket.bucket, read.cursor);
    }
    state.cursors = cursors;
    await this.words.catchUp();
  }

  /**
   * From nothing: where every feed ends first, then every summary (so a change made meanwhile is
   * in what is read, or after the cursors, or both).
   */
  private async build(state: SearchState): Promise<void> {
    const { connection, reader } = this.options;
    const ends = await Promise.all(this.buckets.map((bucket) => feedEnd(connection, reader, bucket)));
    this.takeListing(state, state.ids(), await reader.all());
    state.cursors = new Map(ends.map((cursor, bucket) => [bucket, cursor]));
  }

  /** The feed cannot say what changed: every session of the bucket is read again. */
  private async relistBucket(state: SearchState, bucket: BucketKeys): Promise<void> {
    this.takeListing(state, state.ids(bucket.bucket), await this.options.reader.bucket(bucket));
  }

  /** What a listing says: the sessions it names changed, those it does not name (of `known`) are gone. */
  private takeListing(state: SearchState, known: readonly string[], listed: readonly SessionSummary[]): void {
    const kept = new Set(listed.map((summary) => summary.id));
    known.filter((id) => !kept.has(id)).forEach((id) => this.changed(state, id, 'deleted'));
    listed.forEach((summary) => this.changed(state, summary.id, 'updated', summary));
  }

  /** Sessions the feed names changed; expired ones are simply gone. */
  private noteFeed(state: SearchState, read: FeedRead): void {
    read.entries.forEach((entry) => this.changed(state, entry.sessionId, entry.kind === 'deleted' ? 'deleted' : 'updated'));
    read.expired.filter((id) => state.has(id)).forEach((id) => this.changed(state, id, 'deleted'));
  }

  /** Notes a change in the state and tells the word index, which reads the session again (and finds it gone, when it is). */
  private changed(state: SearchState, id: string, kind: 'updated' | 'deleted', summary?: SessionSummary): void {
    if (kind === 'deleted') {
      state.removed(id);
    } else {
      state.changed(id, summary);
    }
    this.words.noteChange({ kind, sessionId: id, external: true });
  }

  /** Saves the state where the folder can be written; a folder that cannot be is searched from memory, as the word index is. */
  private async saveState(state: SearchState): Promise<void> {
    if (!writeAccess([this.options.cacheDirectory]).writable) {
      return;
    }
    try {
      ensureDirectory(this.options.cacheDirectory);
      await state.save(this.stateFile, this.of);
      rmSync(join(this.options.cacheDirectory, FORMER_COPY), { force: true });
    } catch (error) {
      this.options.warn?.(`could not save the search index ${this.stateFile}: ${describeIoCause(error)}`);
    }
  }
}
