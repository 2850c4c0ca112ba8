import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ID_PATTERN } from '../../../core/ids';
import { Session, SessionSummary } from '../../../core/model';
import { SessionFacts } from '../../../core/wordIndex/wordIndex';
import { replaceFileAtomically } from '../../fs/atomicFile';
import { FeedCursor } from '../changeLog';
import { BUCKET_COUNT, bucketOf } from '../redisKeys';

// What the Redis store's search knows of its namespace between processes, kept in the cache
// folder beside the word index: each session's facts (what search filters and ranks by), the
// version of it the word index must hold, and how far each bucket's change feed has been read.
// A version is made here, new, whenever the feed or a listing says a session changed, so one
// never repeats: the word index re-reads whatever it holds at another version, and this file and
// the word index's may come from different saves (or processes) without a wrong answer. A change
// is noted before the cursor moves past it, so the cursors are never ahead of the versions. Saved
// whole and atomically; a file that does not read back as one of these is no state: the index is
// built again (it is a cache, and Redis holds everything in it).

/** The file in the namespace's cache folder. */
export const SEARCH_STATE_FILE = 'search-state.json';
const LAYOUT = 1;
const CURSOR_ID = /^\d+-\d+$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** Versions made by this process: its own prefix, then a count (unique across processes, and short). */
const VERSION_PREFIX = `${randomBytes(6).toString('base64url')}.`;
let versionsMade = 0;

/** A session announced by the feed and not read yet has no facts: [id, version] alone. */
type SavedSession = [id: string, version: string, title?: string, tags?: string[], source?: string, lastMessageAt?: string];

interface SavedState {
  layout: number;
  of: string;
  buckets: number;
  cursors: Record<string, FeedCursor>;
  sessions: SavedSession[];
}

/** What a summary (or a session) says that search needs. */
type FactFields = Pick<SessionSummary, 'title' | 'tags' | 'source' | 'lastMessageAt'>;

interface StateEntry {
  version: string;
  /** Undefined until the session is first read (one the feed announced). */
  facts: SessionFacts | undefined;
}

export class SearchState {
  private readonly entries = new Map<string, StateEntry>();
  private cursorMap = new Map<number, FeedCursor>();

  /** The state saved in `file` for `of`, or undefined when there is none that reads back. */
  static async load(file: string, of: string): Promise<SearchState | undefined> {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    let saved: unknown;
    try {
      saved = text === undefined ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
    return isSavedState(saved, of) ? SearchState.from(saved) : undefined;
  }

  private static from(saved: SavedState): SearchState {
    const state = new SearchState();
    state.cursorMap = new Map(Object.entries(saved.cursors).map(([bucket, { id, added }]) => [Number(bucket), { id, added }]));
    for (const [id, version, title, tags, source, lastMessageAt] of saved.sessions) {
      const facts = title === undefined ? undefined : { title, tags: tags ?? [], source: source ?? '', lastMessageAt: lastMessageAt ?? '' };
      state.entries.set(id, { version, facts });
    }
    return state;
  }

  /** Whether the namespace was ever read whole into it: a state without cursors is built first. */
  get built(): boolean {
    return this.cursorMap.size > 0;
  }

  get cursors(): ReadonlyMap<number, FeedCursor> {
    return this.cursorMap;
  }

  set cursors(cursors: ReadonlyMap<number, FeedCursor>) {
    this.cursorMap = new Map(cursors);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  ids(bucket?: number): string[] {
    const ids = [...this.entries.keys()];
    return bucket === undefined ? ids : ids.filter((id) => bucketOf(id) === bucket);
  }

  /** The session changed (or is new): the word index must read it again. Its summary, when known, gives its facts now. */
  changed(id: string, summary?: FactFields): void {
    const facts = summary ? factsOf(summary) : this.entries.get(id)?.facts;
    this.entries.set(id, { version: newVersion(), facts });
  }

  removed(id: string): void {
    this.entries.delete(id);
  }

  /** A session as read from Redis: its facts are now what it says; answers the version it is read at. */
  read(session: Session): string {
    const entry = this.entries.get(session.id);
    if (!entry) {
      this.changed(session.id, session);
      return this.read(session);
    }
    entry.facts = factsOf(session);
    return entry.version;
  }

  versions(): Map<string, string> {
    return new Map([...this.entries].map(([id, entry]) => [id, entry.version]));
  }

  facts(id: string): SessionFacts | undefined {
    return this.entries.get(id)?.facts;
  }

  /** Writes the state to `file` in one atomic replacement. */
  async save(file: string, of: string): Promise<void> {
    const sessions = [...this.entries].map(([id, { version, facts }]): SavedSession => (facts ? [id, version, facts.title, [...facts.tags], facts.source, facts.lastMessageAt] : [id, version]));
    const saved: SavedState = { layout: LAYOUT, of, buckets: BUCKET_COUNT, cursors: Object.fromEntries(this.cursorMap), sessions };
    await replaceFileAtomically(file, Buffer.from(JSON.stringify(saved)));
  }
}

function newVersion(): string {
  return VERSION_PREFIX + (++versionsMade).toString(36);
}

/** Facts of one fixed shape (search's ranking reads them for every candidate). */
function factsOf(summary: FactFields): SessionFacts {
  const { title, tags, source, lastMessageAt } = summary;
  return { title, tags, source, lastMessageAt };
}

const isText = (limit: number) => (value: unknown): boolean => typeof value === 'string' && value.length <= limit;

/** What each place of a saved session must hold. The facts are only ever used as facts (compared, shown, filtered by): of the right kinds and sizes is enough. */
const SAVED_SESSION_FIELDS: ((value: unknown) => boolean)[] = [
  (id) => typeof id === 'string' && ID_PATTERN.test(id),
  isText(64),
  isText(500),
  (tags) => Array.isArray(tags) && tags.length <= 100 && tags.every(isText(100)),
  isText(100),
  (at) => typeof at === 'string' && TIMESTAMP.test(at),
];

function isSavedState(value: unknown, of: string): value is SavedState {
  const saved = value as Partial<SavedState> | null;
  if (typeof saved !== 'object' || saved === null || saved.layout !== LAYOUT || saved.of !== of || saved.buckets !== BUCKET_COUNT) {
    return false;
  }
  const cursorsRead = typeof saved.cursors === 'object' && saved.cursors !== null && Object.entries(saved.cursors).every(isSavedCursor);
  return cursorsRead && Array.isArray(saved.sessions) && saved.sessions.every(isSavedSession);
}

function isSavedCursor([bucket, cursor]: [string, unknown]): boolean {
  const { id, added } = (cursor ?? {}) as Partial<FeedCursor>;
  const index = Number(bucket);
  return Number.isInteger(index) && index >= 0 && index < BUCKET_COUNT && typeof id === 'string' && CURSOR_ID.test(id) && Number.isSafeInteger(added) && (added as number) >= 0;
}

function isSavedSession(value: unknown): boolean {
  return Array.isArray(value) && (value.length === 2 || value.length === SAVED_SESSION_FIELDS.length) && value.every((field, place) => SAVED_SESSION_FIELDS[place](field));
}
