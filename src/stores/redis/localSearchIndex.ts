import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Database, SqlJsStatic } from 'sql.js';
import { newId } from '../../core/ids';
import { Session, SessionSummary } from '../../core/model';
import { SearchHit, SearchOptions } from '../../core/store';
import { prepareSession } from '../../core/validate';
import { replaceFileAtomically } from '../fs/atomicFile';
import { DatabaseWriter } from '../sqlite/database/applyOps';
import { headerProblem } from '../sqlite/database/databaseFile';
import { SCHEMA_VERSION, configureConnection, createSchema } from '../sqlite/database/schema';
import { readAllSummaries } from '../sqlite/database/sessionRows';
import { Statements } from '../sqlite/database/statements';
import { loadSqlJs } from '../sqlite/database/wasmLoader';
import { databaseSearchSource } from '../sqlite/search/databaseSearchSource';
import { CachedSearch } from '../shared/search/cachedSearch';
import { describeIoCause } from '../fs/ioErrors';
import { writeAccess } from '../fs/writeAccess';
import { databaseImage } from '../sqlite/snapshot/databaseImage';
import { FeedCursor } from './changeLog';
import { readIndexCursors, writeIndexCursors } from './indexCursors';
import { bucketOf } from './redisKeys';

// The local search index of a Redis namespace: a sql.js copy of the sessions in the SQLite
// backend's layout, written by that backend's own writer (applyOps.ts), searched through the word
// index every file store shares (kept in its own file beside the copy, reading sessions from the
// copy), so search has the same semantics and ranking everywhere. Unlike the SQLite store it
// keeps no journal: it is a cache of what Redis holds, saved whole (atomically, with the feed
// cursors it covers inside it) now and then, and whatever a crash loses since is read from the
// change feed again. A file that cannot be read as one of these is simply rebuilt; the word
// index, whose versions are the copy's operation ids, re-reads whatever it finds changed.

/** Marks a file as this cache, in this layout: any other value (or none) means "rebuild". */
const LAYOUT_KEY = 'redis_search_index';
const LAYOUT = `1/schema-${SCHEMA_VERSION}`;
/**
 * The summaries as of the save, as one JSON blob beside the rows: reading 10,000 of them back
 * from the rows of a freshly loaded database took ~360 ms of a cold search, parsing this ~20.
 */
const SUMMARIES_KEY = 'redis_search_summaries';

/** The word index's file, beside the copy's. */
export const COPY_WORD_INDEX_FILE = 'search-words.bin';

export interface LocalIndexOptions {
  /** The copy's file; the word index's is COPY_WORD_INDEX_FILE beside it. */
  file: string;
  /** What the index is of (the namespace's spec). */
  of: string;
  warn: (message: string) => void;
}

export class LocalSearchIndex {
  /** Messages of the sessions written or removed since the file was read or saved. */
  unsavedMessages = 0;
  private readonly summaries: Map<string, SessionSummary>;
  private readonly writer: DatabaseWriter;
  private readonly searcher: CachedSearch;
  private cursors: Map<number, FeedCursor>;

  private constructor(
    private readonly sql: Statements,
    options: LocalIndexOptions,
  ) {
    this.writer = new DatabaseWriter(sql);
    this.summaries = new Map((savedSummaries(sql) ?? readAllSummaries(sql)).map((summary) => [summary.id, summary]));
    this.cursors = readIndexCursors(sql);
    const folder = dirname(options.file);
    this.searcher = new CachedSearch({
      file: join(folder, COPY_WORD_INDEX_FILE),
      of: options.of,
      source: databaseSearchSource({ database: () => this.sql, summaries: () => this.summaries }),
      writable: () => writeAccess([folder]).writable,
      onSaveFailure: (error) => options.warn(`could not save the search index: ${describeIoCause(error)}`),
    });
  }

  /** The index saved beside `options.file`, or an empty one when there is none (or it is unusable). */
  static async open(options: LocalIndexOptions): Promise<LocalSearchIndex> {
    const sqlJs = await loadSqlJs();
    const db = (await readIndexFile(sqlJs, options.file)) ?? emptyIndex(sqlJs);
    return new LocalSearchIndex(new Statements(db), options);
  }

  /** Where the index stands in each bucket's feed; empty for an index built from nothing yet. */
  get feedCursors(): ReadonlyMap<number, FeedCursor> {
    return this.cursors;
  }

  set feedCursors(cursors: ReadonlyMap<number, FeedCursor>) {
    this.cursors = new Map(cursors);
  }

  has(sessionId: string): boolean {
    return this.summaries.has(sessionId);
  }

  sessionIds(bucket?: number): string[] {
    const ids = [...this.summaries.keys()];
    return bucket === undefined ? ids : ids.filter((id) => bucketOf(id) === bucket);
  }

  /**
   * Makes the copies of these sessions what Redis holds, in one transaction (fewer page writes
   * than one each); returns why any was left out.
   */
  replaceAll(sessions: readonly (readonly [sessionId: string, session: Session | undefined])[]): string[] {
    return this.sql.transaction(() => sessions.flatMap(([sessionId, session]) => this.replace(sessionId, session) ?? []));
  }

  /** Drops the copy of a session Redis no longer has. */
  remove(sessionId: string): void {
    this.replace(sessionId, undefined);
  }

  /**
   * Makes the copy of one session what Redis holds: replaced, or removed when `session` is
   * undefined. A session the SQLite layout cannot hold as it is (garbage in Redis, such as a
   * message id listed twice) is left out, and why is returned: verify reports it.
   */
  replace(sessionId: string, session: Session | undefined): string | undefined {
    const current = this.summaries.get(sessionId);
    this.searcher.noteChange({ kind: 'updated', sessionId, external: true });
    if (current) {
      this.writer.apply({ type: 'delete', id: newId(), sessionId }, current);
      this.summaries.delete(sessionId);
      this.unsavedMessages += Math.max(1, current.messageCount);
    }
    if (session) {
      let prepared: Session;
      try {
        prepared = prepareSession(session);
      } catch (error) {
        return `session ${sessionId} is left out of the search index: ${error instanceof Error ? error.message : String(error)}`;
      }
      const result = this.writer.apply({ type: 'create', id: newId(), session: prepared }, undefined);
      if (result.summary) {
        this.summaries.set(prepared.id, uniformSummary(result.summary));
      }
      this.unsavedMessages += Math.max(1, prepared.messages.length);
    }
    return undefined;
  }

  search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return this.searcher.search(query, options);
  }

  /**
   * Writes the index and its cursors to `file` in one atomic replacement. Nothing may write to
   * the database until it resolves: the bytes handed over are the live database (see
   * databaseImage.ts), which the caller guarantees by running one operation at a time.
   */
  async save(file: string): Promise<void> {
    writeIndexCursors(this.sql, this.cursors);
    // Bound as bytes: sql.js copies a string parameter into wasm memory a character at a time.
    const summaries = Buffer.from(JSON.stringify([...this.summaries.values()]));
    this.sql.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [SUMMARIES_KEY, summaries]);
    const image = databaseImage(this.sql.db);
    if (!image) {
      this.sql.freeAll(); // export() frees every prepared statement
    }
    await replaceFileAtomically(file, image ?? this.sql.db.export());
    this.unsavedMessages = 0;
  }

  /** Saves the word index if that is worth it (see CachedSearch), then frees the copy. */
  async close(): Promise<void> {
    await this.searcher.close();
    this.sql.freeAll();
    this.sql.db.close();
  }
}

/**
 * The summary as an object of one fixed shape. Those the writer returns are made by rest and
 * spread (summarize), which V8 gives shapes that search's ranking reads slowly: a common word's
 * search took 30-40 ms over them, 14 ms over these (or those parsed from a saved index).
 */
function uniformSummary(summary: SessionSummary): SessionSummary {
  const { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount } = summary;
  return { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount };
}

function savedSummaries(sql: Statements): SessionSummary[] | undefined {
  const saved = sql.one('SELECT value FROM meta WHERE key = ?', [SUMMARIES_KEY])?.[0];
  try {
    return saved instanceof Uint8Array ? (JSON.parse(Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength).toString('utf8')) as SessionSummary[]) : undefined;
  } catch {
    return undefined; // the rows say the same, more slowly
  }
}

async function readIndexFile(sqlJs: SqlJsStatic, file: string): Promise<Database | undefined> {
  // Missing, or unreadable: rebuilt either way (saving it then says what is wrong with the folder).
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes || headerProblem(bytes) !== undefined) {
    return undefined;
  }
  let db: Database | undefined;
  try {
    db = new sqlJs.Database(bytes);
    configureConnection(db);
    const layout = db.exec('SELECT value FROM meta WHERE key = ?', [LAYOUT_KEY])[0]?.values[0]?.[0];
    if (layout === LAYOUT) {
      return db;
    }
  } catch {
    // not a database of ours, or damaged: rebuilt like a missing one
  }
  db?.close();
  return undefined;
}

function emptyIndex(sqlJs: SqlJsStatic): Database {
  const db = new sqlJs.Database();
  configureConnection(db);
  createSchema(db);
  db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [LAYOUT_KEY, LAYOUT]);
  return db;
}
