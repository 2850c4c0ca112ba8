import { existsSync } from 'node:fs';
import { SearchHit, SearchOptions, StoreChange } from '../../../core/store';
import { IndexProgress, IndexedSearch, SearchSource } from '../../../core/wordIndex/indexedSearch';
import { WordIndex } from '../../../core/wordIndex/wordIndex';
import { saveWordIndex } from './wordIndexFile';
import { DamagedIndexError, LoadedIndex, loadWordIndex } from './wordIndexLoad';

// A store's search through a word index kept as a cache file beside the store: loaded at the
// first search (a store that is only listed never reads it), brought up to date with the store,
// and saved again once enough sessions changed since it was read, so the next process reads few
// sessions again. A missing or unreadable file is built anew from the store; a save that fails
// (a full disk, a read-only folder) loses nothing and is tried again later.

export interface CachedSearchOptions {
  file: string;
  /** What the index is of: the store's spec. */
  of: string;
  source: SearchSource;
  /** Whether the file may be written now (a read-only store searches without saving). */
  writable: () => boolean;
  onSaveFailure: (error: unknown) => void;
  /** Saves what the source keeps beside the index, just before each save of the index (the Redis store's state). */
  beforeSave?: () => Promise<void>;
  /** Told how a catch-up goes; called with done === total at its end. */
  onProgress?: IndexProgress;
}

/** Sessions read again since the last save that make the next save worth its writing. */
const SAVE_AFTER_SESSIONS = 25;
/**
 * At close, catch-up time since the last save that makes a save worth it: a fresh process would
 * spend it again before its first search (a long session appended to is read whole).
 */
const SAVE_ON_CLOSE_AFTER_MS = 20;

export class CachedSearch {
  private searcher: IndexedSearch | undefined;
  private unsaved = 0;
  private unsavedMs = 0;
  private fromNothing = false;
  private saving: Promise<void> | undefined;
  /** The saved file the loaded index reads its lists from, while it is open. */
  private loaded: LoadedIndex | undefined;

  constructor(private readonly options: CachedSearchOptions) {}

  noteChange(change: StoreChange): void {
    // Before the first search there is nothing to tell: loading compares every session's version.
    this.searcher?.noteChange(change);
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    try {
      const searcher = this.ready();
      await this.catchUp(searcher);
      return await searcher.search(query, options);
    } catch (error) {
      if (!(error instanceof DamagedIndexError)) {
        throw error;
      }
      // A word list that does not check: the saved index is no index. Built again, and asked again.
      await this.rebuild();
      return this.ready().search(query, options);
    }
  }

  /** Brings the index up to date, with progress, saving it when it is worth it. */
  async catchUp(searcher = this.ready()): Promise<void> {
    let read = 0;
    const started = performance.now();
    await searcher.catchUp((done, total) => {
      read = Math.max(read, done);
      this.options.onProgress?.(done, total);
    });
    this.unsaved += read;
    this.unsavedMs += read > 0 ? performance.now() - started : 0;
    if (this.worthSaving(searcher)) {
      this.saveSoon(searcher);
    }
  }

  /**
   * verify --repair: a saved index is thrown away and built again from the store (none saved: the
   * next search builds one). Says so when the saved file could not be read.
   */
  async repair(): Promise<string | undefined> {
    await this.saving;
    if (!existsSync(this.options.file)) {
      return undefined;
    }
    const readable = fileReadsBack(this.options.file, this.options.of);
    const sessions = await this.rebuild();
    return readable ? undefined : `rebuilt the search index from ${sessions} sessions: its file could not be read`;
  }

  /** Throws the index away and builds it again from the store. */
  async rebuild(): Promise<number> {
    await this.saving;
    const searcher = new IndexedSearch(this.options.source, new WordIndex());
    this.searcher = searcher;
    this.fromNothing = true;
    this.closeFile();
    await this.catchUp(searcher);
    await this.saving;
    return searcher.index.size;
  }

  /**
   * Saves a new index, or one that fell well behind, as a process's last chance to pass its work
   * on. A few short sessions read again are left for the next process to read again too: cheaper
   * than writing the whole index at the end of every short CLI run. Catch-ups that took longer
   * (a long session read whole) are not.
   */
  async close(): Promise<void> {
    await this.saving;
    if (this.searcher && (this.worthSaving(this.searcher) || this.unsavedMs >= SAVE_ON_CLOSE_AFTER_MS)) {
      this.saveSoon(this.searcher);
      await this.saving;
    }
    this.closeFile();
  }

  /** A new index with something in it, or enough sessions read again since the last save. */
  private worthSaving(searcher: IndexedSearch): boolean {
    return (this.fromNothing && searcher.index.size > 0) || this.unsaved >= SAVE_AFTER_SESSIONS;
  }

  private closeFile(): void {
    this.loaded?.close();
    this.loaded = undefined;
  }

  private ready(): IndexedSearch {
    if (!this.searcher) {
      this.loaded = loadWordIndex(this.options.file, this.options.of);
      this.fromNothing = this.loaded === undefined;
      this.searcher = new IndexedSearch(this.options.source, this.loaded?.index ?? new WordIndex());
      this.searcher.checkEverything();
    }
    return this.searcher;
  }

  private saveSoon(searcher: IndexedSearch): void {
    if (this.saving || !this.options.writable()) {
      return;
    }
    const saved = this.unsaved;
    const savedMs = this.unsavedMs;
    const before = this.options.beforeSave?.() ?? Promise.resolve();
    this.saving = before
      .then(() => saveWordIndex(this.options.file, this.options.of, searcher.index))
      .then(() => {
        this.unsaved = Math.max(0, this.unsaved - saved);
        this.unsavedMs = Math.max(0, this.unsavedMs - savedMs);
        this.fromNothing = false;
      })
      .catch((error: unknown) => this.options.onSaveFailure(error))
      .finally(() => (this.saving = undefined));
  }
}

/** Whether the saved index reads back whole: its head, and every one of its lists. */
function fileReadsBack(file: string, of: string): boolean {
  const loaded = loadWordIndex(file, of);
  try {
    loaded?.index.terms.forEach((list) => list.bytesNow());
    return loaded !== undefined;
  } catch {
    return false;
  } finally {
    loaded?.close();
  }
}
