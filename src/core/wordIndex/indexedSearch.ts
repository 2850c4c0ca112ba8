import { setImmediate as nextTurn } from 'node:timers/promises';
import { Message, Session, compareLatest } from '../model';
import { DEFAULT_SEARCH_LIMIT, matchSession, matchingMessages, parseStoreQuery } from '../search';
import { SearchQuery } from '../searchQuery';
import { SearchHit, SearchOptions, StoreChange } from '../store';
import { makeSnippet } from '../textSearch/snippet';
import { IndexAnswer, IndexCandidate, answerQuery } from './indexQuery';
import { FactsOf, StoredAt, WordIndex } from './wordIndex';

// Search through a word index kept in step with a store: the store says which sessions changed
// (its change events, its own and other processes') or, after a load or a reload, what version of
// each session it holds, and before each search the index re-reads exactly the sessions whose
// version it does not have. Hits are made from the store's text — the index only says where to
// look — so an index that is stale or damaged can cost time, never a wrong hit.

export interface IndexedRead {
  session: Session;
  /** The store's version of what was read. */
  version: string;
  /** Where the store keeps each message of this version (by id), for a store that can read one alone. */
  storedAt?: (messageId: string) => StoredAt | undefined;
}

/** What a hit needs of a message. */
export type MessageText = Pick<Message, 'id' | 'role' | 'content' | 'createdAt'>;

export interface MessagePlace {
  id: string;
  position: number;
  /** The session's version the index holds, and where the store said it kept the message then. */
  version: string;
  storedAt?: StoredAt;
}

/** What the index needs from its store. Reads may return shared objects: nothing here changes them. */
export interface SearchSource {
  read(id: string): Promise<IndexedRead | undefined>;
  /** Every session the store holds, by id, with its current version. */
  versions(): Promise<ReadonlyMap<string, string>>;
  /** What the store's summary says of a session now (its list holds them). */
  facts: FactsOf;
  /** The messages at these places (a session and a position in it), for a store that can read them without the rest. */
  readMessagesAt?(places: readonly MessagePlace[]): Promise<(MessageText | undefined)[]>;
  /** Several sessions at once, for a store whose reads each wait for a server (read alone, they wait in turn). */
  readBatch?(ids: readonly string[]): Promise<(IndexedRead | undefined)[]>;
}

/** How far a catch-up has got: sessions read of those that needed it. */
export type IndexProgress = (done: number, total: number) => void;

/** Catch-ups yield to the event loop this often, so a long build never blocks it. */
const YIELD_EVERY_MS = 8;
/** A catch-up of this many sessions (a build) ends by trimming the lists' room for growth. */
const TRIM_AFTER_SESSIONS = 500;
/** Sessions asked of a store that reads several at once (SearchSource.readBatch). */
const READ_BATCH = 64;

export class IndexedSearch {
  private readonly dirty = new Set<string>();
  private checkAll = true;
  private catchingUp: Promise<void> | undefined;

  constructor(
    private readonly source: SearchSource,
    readonly index = new WordIndex(),
  ) {}

  /** Feeds the store's change events in: the sessions named are read again before the next search. */
  noteChange(change: StoreChange): void {
    if (change.kind === 'reloaded') {
      this.checkAll = true;
    } else {
      this.dirty.add(change.sessionId);
    }
  }

  /** Compares every session's version with the store's at the next catch-up (after a load, a repair). */
  checkEverything(): void {
    this.checkAll = true;
  }

  /** Nothing left to read, and no catch-up still reading (one between taking its work and putting it in is not done). */
  get upToDate(): boolean {
    return !this.checkAll && this.dirty.size === 0 && this.catchingUp === undefined;
  }

  /** Brings the index up to date with the store; concurrent callers share one run. */
  async catchUp(progress?: IndexProgress): Promise<void> {
    while (!this.upToDate) {
      this.catchingUp ??= this.runCatchUp(progress).finally(() => (this.catchingUp = undefined));
      await this.catchingUp;
    }
  }

  async search(text: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const query = parseStoreQuery(text);
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    options.signal?.throwIfAborted();
    await this.catchUp();
    options.signal?.throwIfAborted();
    if (limit <= 0) {
      return [];
    }
    const answer = answerQuery(this.index, query, limit, this.source.facts);
    return answer.exact ? this.exactHits(answer, query) : this.checkedHits(answer, query, limit, options.signal);
  }

  private async runCatchUp(progress: IndexProgress | undefined): Promise<void> {
    if (this.checkAll) {
      this.checkAll = false;
      const versions = await this.source.versions();
      [...this.index.ids()].filter((id) => !versions.has(id)).forEach((id) => this.index.remove(id));
      versions.forEach((version, id) => this.index.entry(id)?.version !== version && this.dirty.add(id));
    }
    const total = this.dirty.size;
    let done = 0;
    let turn = Date.now();
    const batchSize = this.source.readBatch ? READ_BATCH : 1;
    const pending = [...this.dirty];
    for (let start = 0; start < pending.length; start += batchSize) {
      const batch = pending.slice(start, start + batchSize);
      batch.forEach((id) => this.dirty.delete(id));
      const reads = await this.readAll(batch);
      reads.forEach((read, position) => (read ? this.index.put(read.session, read.version, read.storedAt) : this.index.remove(batch[position])));
      done += batch.length;
      if (Date.now() - turn >= YIELD_EVERY_MS) {
        progress?.(done, total);
        await nextTurn();
        turn = Date.now();
      }
    }
    if (total >= TRIM_AFTER_SESSIONS) {
      this.index.trim();
    }
    progress?.(done, total);
  }

  /** The sessions, as the store holds them now; a read that fails leaves them to be compared again. */
  private async readAll(ids: readonly string[]): Promise<(IndexedRead | undefined)[]> {
    try {
      return this.source.readBatch ? await this.source.readBatch(ids) : [await this.source.read(ids[0])];
    } catch (error) {
      // Taken off the list to be read, and not read: every version is compared again next time.
      this.checkAll = true;
      throw error;
    }
  }

  /** Scores are right: read one message of each hit for its snippet (a title hit needs none). */
  private async exactHits(answer: IndexAnswer, query: SearchQuery): Promise<SearchHit[]> {
    // All at once: a store whose reads wait for a server waits for them together.
    const messages = await this.messagesOf(answer.candidates.filter((candidate) => !candidate.title));
    const hits = await Promise.all(answer.candidates.map(async (candidate) => (candidate.title ? titleHit(candidate, query) : this.messageHit(candidate, query, messages.get(candidate)))));
    return hits.filter((hit) => hit !== undefined);
  }

  /** The message each candidate's position names, as the store holds it now. */
  private async messagesOf(candidates: readonly IndexCandidate[]): Promise<Map<IndexCandidate, MessageText | undefined>> {
    const places = candidates.map(({ entry, position }): MessagePlace => ({ id: entry.id, position, version: entry.version, storedAt: this.index.storedAtOf(entry.ordinals[position]) }));
    const messages = this.source.readMessagesAt
      ? await this.source.readMessagesAt(places)
      : await Promise.all(candidates.map(async ({ entry, position }) => (await this.source.read(entry.id))?.session.messages[position]));
    return new Map(candidates.map((candidate, place) => [candidate, messages[place]]));
  }

  private async messageHit(candidate: IndexCandidate, query: SearchQuery, message: MessageText | undefined): Promise<SearchHit | undefined> {
    const { entry, facts, score } = candidate;
    if (message && matchingMessages([message], query).length === 1) {
      return { sessionId: entry.id, messageId: message.id, title: facts.title, ...makeSnippet(message.content, query.terms), score };
    }
    // The index was behind the store (a change not yet announced): the text decides.
    this.dirty.add(entry.id);
    const read = await this.source.read(entry.id);
    return read && matchSession(read.session, read.session.messages, query);
  }

  /** Bounds only (a phrase): check sessions' text, best bound first, until no bound can enter the hits. */
  private async checkedHits(answer: IndexAnswer, query: SearchQuery, limit: number, signal: AbortSignal | undefined): Promise<SearchHit[]> {
    const ranked: RankedHit[] = [];
    for (const candidate of answer.candidates) {
      const last = ranked.length >= limit ? ranked[limit - 1] : undefined;
      if (last && !beats(candidate, last)) {
        break;
      }
      signal?.throwIfAborted();
      const read = await this.source.read(candidate.entry.id);
      const hit = read && matchSession(read.session, read.session.messages, query);
      if (hit) {
        ranked.push({ hit, lastMessageAt: read.session.lastMessageAt });
        ranked.sort((a, b) => b.hit.score - a.hit.score || compareLatest(a.lastMessageAt, a.hit.sessionId, b.lastMessageAt, b.hit.sessionId));
      }
    }
    return ranked.slice(0, limit).map(({ hit }) => hit);
  }
}

interface RankedHit {
  hit: SearchHit;
  lastMessageAt: string;
}

/** Whether a candidate's bound could still rank it above a hit. */
function beats(candidate: IndexCandidate, ranked: RankedHit): boolean {
  const { score } = ranked.hit;
  return candidate.score > score || (candidate.score === score && compareLatest(candidate.facts.lastMessageAt, candidate.entry.id, ranked.lastMessageAt, ranked.hit.sessionId) < 0);
}

function titleHit(candidate: IndexCandidate, query: SearchQuery): SearchHit {
  const { entry, facts, score } = candidate;
  return { sessionId: entry.id, messageId: null, title: facts.title, ...makeSnippet(facts.title, query.terms), score };
}
