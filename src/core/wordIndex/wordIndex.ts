import { ROLES, Session } from '../model';
import { textTokens } from '../textSearch/textTokens';
import { joinedWords } from '../textSearch/textMatch';
import { TermTable, textBytesHash, wordHash } from './termTable';
import { PostingList } from './postingList';
import { insertSorted, wordsWithPrefix } from './sortedWords';

// A word index over sessions: every word maps to the ordinals of the messages that hold it
// (postingList.ts), and per ordinal the index keeps what filters need (session, role, time) and
// a hash of the message, so putting a session again re-indexes only the messages that are new or
// changed. An index is a cache of the store it serves, never the truth: each session carries the
// store's version of it, and anything in doubt is simply put again. Pure.

export interface IndexedSession {
  id: string;
  /** The store's version of the session this entry reflects (a file stamp, a journal position). */
  version: string;
  /** The session's message ordinals, in the session's order. */
  ordinals: Int32Array;
  /** The title's words as joinedWords gives them (at this version: a new title is a new version). */
  titleWords: string;
  /** The store's summary of the session, kept once a query asked for it (not saved; see indexQuery.ts). */
  facts?: SessionFacts;
}

/**
 * What filters and ranking need of a session beyond its messages, as the store's summary of it
 * says (the index keeps no copy: a store already holds these for its list).
 */
export interface SessionFacts {
  readonly title: string;
  readonly tags: readonly string[];
  readonly source: string;
  readonly lastMessageAt: string;
}

export type FactsOf = (id: string) => SessionFacts | undefined;

/**
 * Where a store keeps a message, as two numbers of its own (a JSON store's: the byte offsets of
 * the message's record and of the line its content comes from), so a hit can be read alone.
 */
export type StoredAt = readonly [number, number];

/**
 * The words of a saved index, looked up where they are saved (a sorted directory) instead of all
 * taken in when it loads: a cold search needs a few words of perhaps 100,000.
 */
export interface SavedWords {
  /** The list of `word`, if it is saved. */
  find(word: string): PostingList | undefined;
  /** The saved words that start with `prefix`, in order. */
  wordsWithPrefix(prefix: string): string[];
  /** Every saved word, with its list. */
  entries(): IterableIterator<[string, PostingList]>;
}

/** Marks an ordinal whose store said nothing of where it keeps the message (or a number too big to keep). */
const NOT_STORED = 0xffffffff;

const INITIAL_ORDINALS = 1024;
/** Dead ordinals are dropped from the lists once they are this share of all ordinals. */
const COMPACT_AT_DEAD_SHARE = 0.5;
const COMPACT_MIN_DEAD = 4096;

export class WordIndex {
  private readonly termLists = new Map<string, PostingList>();
  /** Slot of each ordinal's session; -1 once the message is gone or changed. */
  slotOf = new Int32Array(INITIAL_ORDINALS);
  roleOf = new Uint8Array(INITIAL_ORDINALS);
  /** createdAt of each message, in ms (NaN when unreadable). */
  timeOf = new Float64Array(INITIAL_ORDINALS);
  hashOf = new Uint32Array(INITIAL_ORDINALS);
  /** Two per ordinal (StoredAt), made once a store first says where it keeps a message. */
  storedAt: Uint32Array | undefined;
  ordinalCount = 0;
  deadCount = 0;
  /** By slot; undefined for a free slot. */
  readonly slots: (IndexedSession | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private sortedTerms: string[] | undefined;
  /** A restored index's words not yet taken into termLists (all are, once anything needs every word). */
  private saved: SavedWords | undefined;
  /** The same words by hash, to index text without cutting it into words; made when first needed. */
  private tableOrNone: TermTable | undefined = new TermTable();
  private readonly termCreated = (word: string, list: PostingList): void => {
    this.termLists.set(word, list);
    // Kept sorted as words come (a message with a new word must not cost the next prefix a sort).
    if (this.sortedTerms) {
      insertSorted(this.sortedTerms, word);
    }
  };
  /** A message's text as bytes, for the table to read (reused: messages are indexed one at a time). */
  private textBytes = Buffer.allocUnsafe(1 << 16);
  /** One query's marks, reused by the next (queries are answered synchronously). */
  private scratch = new Uint8Array(0);

  /** Every word's list, complete: the saved words and those the table still holds in its queue are put in first. */
  get terms(): Map<string, PostingList> {
    this.takeSaved();
    this.tableOrNone?.flush();
    return this.termLists;
  }

  /** One word's list (of a restored index: looked up in its saved directory). */
  list(word: string): PostingList | undefined {
    if (!this.saved) {
      return this.terms.get(word);
    }
    let list = this.termLists.get(word);
    if (!list) {
      list = this.saved.find(word);
      if (list) {
        this.termLists.set(word, list);
      }
    }
    return list;
  }

  get size(): number {
    return this.slotById.size;
  }

  entry(id: string): IndexedSession | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.slots[slot];
  }

  ids(): IterableIterator<string> {
    return this.slotById.keys();
  }

  /** Makes the index hold the session as given, at the store's `version` of it (and where the store keeps each message, if it says). */
  put(session: Session, version: string, storedAt?: (messageId: string) => StoredAt | undefined): void {
    let slot = this.slotById.get(session.id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.slots.length;
      this.slotById.set(session.id, slot);
    }
    const previous = this.slots[slot];
    const reusable = new Map<number, number[]>();
    previous?.ordinals.forEach((ordinal) => {
      const hash = this.hashOf[ordinal];
      reusable.set(hash, [...(reusable.get(hash) ?? []), ordinal]);
    });
    // A first put (a build) hashes each message as it indexes it; only a session put again needs hashes first.
    const ordinals = Int32Array.from(session.messages, (message) =>
      previous ? (reusable.get(this.hashOfMessage(message))?.shift() ?? this.addMessage(slot, message)) : this.addMessage(slot, message),
    );
    reusable.forEach((left) => left.forEach((ordinal) => this.kill(ordinal)));
    // Kept messages too: a rewritten file keeps its messages, at new places.
    session.messages.forEach((message, position) => this.noteStoredAt(ordinals[position], storedAt?.(message.id)));
    const entry: IndexedSession = { id: session.id, version, ordinals, titleWords: joinedWords(session.title) };
    this.slots[slot] = entry;
    this.compactIfWorthIt();
  }

  /** Where the store said it keeps the message of `ordinal`, when it did. */
  storedAtOf(ordinal: number | undefined): StoredAt | undefined {
    const at = this.storedAt;
    if (!at || ordinal === undefined || ordinal < 0 || ordinal >= this.ordinalCount || at[ordinal * 2] === NOT_STORED) {
      return undefined;
    }
    return [at[ordinal * 2], at[ordinal * 2 + 1]];
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) {
      return false;
    }
    this.slots[slot]?.ordinals.forEach((ordinal) => this.kill(ordinal));
    this.slots[slot] = undefined;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /** The lists of the words that start with `prefix` (the word being typed). */
  listsWithPrefix(prefix: string): PostingList[] {
    if (this.saved) {
      return this.saved.wordsWithPrefix(prefix).flatMap((word) => this.list(word) ?? []);
    }
    this.sortedTerms ??= [...this.terms.keys()].sort();
    return wordsWithPrefix(this.sortedTerms, prefix).flatMap((word) => this.terms.get(word) ?? []);
  }

  /** A zeroed mark per ordinal, for one query; hand it back zeroed. */
  marksForQuery(): Uint8Array {
    if (this.scratch.length < this.ordinalCount) {
      this.scratch = new Uint8Array(this.slotOf.length);
    }
    return this.scratch;
  }

  /** Restores an entry as saved (indexFile.ts), ordinals and lists restored beside it. */
  restoreSession(slot: number, entry: IndexedSession): void {
    this.slots[slot] = entry;
    this.slotById.set(entry.id, slot);
  }

  /** Restores the places a saved index kept (after growOrdinals has sized the arrays). */
  restoreStoredAt(saved: Uint32Array): void {
    this.storedAt = new Uint32Array(this.slotOf.length * 2).fill(NOT_STORED);
    this.storedAt.set(saved.subarray(0, this.storedAt.length));
  }

  /** Gives back the room the lists keep for growth: after a build, most will grow little. */
  trim(): void {
    this.terms.forEach((list) => list.trim());
  }

  /** Restores the words as saved, looked up there until every word is needed. */
  restoreWords(saved: SavedWords): void {
    this.termLists.clear();
    this.saved = saved;
    // A search of a restored index needs no table: it is made at the first message indexed.
    this.tableOrNone = undefined;
  }

  /** After a restore: the free slots are those no session took. */
  restoreDone(): void {
    this.freeSlots.length = 0;
    this.slots.forEach((entry, slot) => entry === undefined && this.freeSlots.push(slot));
    this.sortedTerms = undefined;
  }

  private addMessage(slot: number, message: Session['messages'][number]): number {
    const ordinal = this.nextOrdinal();
    this.slotOf[ordinal] = slot;
    this.roleOf[ordinal] = ROLES.indexOf(message.role);
    this.timeOf[ordinal] = Date.parse(message.createdAt);
    const lower = message.content.toLowerCase();
    const length = this.encode(lower);
    const seed = idSeed(message.id);
    if (length === lower.length) {
      this.hashOf[ordinal] = this.table.addWordsOf(this.textBytes, length, ordinal, seed, this.termCreated);
    } else {
      this.hashOf[ordinal] = wordHash(lower, 0, lower.length, seed);
      textTokens(message.content).forEach((token) => this.table.addWord(token, ordinal, this.termCreated));
    }
    return ordinal;
  }

  /** The hash addMessage gives the message: of its text in lower case, after its id. */
  private hashOfMessage(message: Session['messages'][number]): number {
    const lower = message.content.toLowerCase();
    const length = this.encode(lower);
    const seed = idSeed(message.id);
    return length === lower.length ? textBytesHash(this.textBytes, length, seed) : wordHash(lower, 0, lower.length, seed);
  }

  /** Writes text as UTF-8 into textBytes, returning the bytes written: as many as characters only for ASCII. */
  private encode(text: string): number {
    if (text.length * 3 > this.textBytes.length) {
      this.textBytes = Buffer.allocUnsafe(text.length * 3);
    }
    return this.textBytes.write(text, 0, 'utf8');
  }

  private noteStoredAt(ordinal: number, place: StoredAt | undefined): void {
    if (!place && !this.storedAt) {
      return;
    }
    this.storedAt ??= new Uint32Array(this.slotOf.length * 2).fill(NOT_STORED);
    const fits = place !== undefined && place.every((value) => Number.isInteger(value) && value >= 0 && value < NOT_STORED);
    this.storedAt[ordinal * 2] = fits ? place[0] : NOT_STORED;
    this.storedAt[ordinal * 2 + 1] = fits ? place[1] : NOT_STORED;
  }

  /** Takes every saved word in, keeping the lists already taken (they may have been read). */
  private takeSaved(): void {
    if (this.saved) {
      // Kept until every word is in: a directory that turns out damaged throws, and stays the source.
      for (const [word, list] of this.saved.entries()) {
        if (!this.termLists.has(word)) {
          this.termLists.set(word, list);
        }
      }
      this.saved = undefined;
      this.sortedTerms = undefined;
    }
  }

  private get table(): TermTable {
    if (!this.tableOrNone) {
      this.takeSaved();
      const table = new TermTable();
      this.termLists.forEach((list, term) => table.add(term, list));
      this.tableOrNone = table;
    }
    return this.tableOrNone;
  }

  private nextOrdinal(): number {
    if (this.ordinalCount === this.slotOf.length) {
      this.growOrdinals(this.slotOf.length * 2);
    }
    return this.ordinalCount++;
  }

  /** Makes room for `capacity` ordinals (restoring a saved index sizes them at once). */
  growOrdinals(capacity: number): void {
    const grow = <T extends Int32Array | Uint8Array | Float64Array | Uint32Array>(old: T, make: (size: number) => T): T => {
      const grown = make(capacity);
      grown.set(old.subarray(0, this.ordinalCount));
      return grown;
    };
    this.slotOf = grow(this.slotOf, (size) => new Int32Array(size));
    this.roleOf = grow(this.roleOf, (size) => new Uint8Array(size));
    this.timeOf = grow(this.timeOf, (size) => new Float64Array(size));
    this.hashOf = grow(this.hashOf, (size) => new Uint32Array(size));
    if (this.storedAt) {
      const grown = new Uint32Array(capacity * 2).fill(NOT_STORED);
      grown.set(this.storedAt.subarray(0, this.ordinalCount * 2));
      this.storedAt = grown;
    }
  }

  private kill(ordinal: number): void {
    if (this.slotOf[ordinal] >= 0) {
      this.slotOf[ordinal] = -1;
      this.deadCount++;
    }
  }

  /** Drops dead ordinals from every list and renumbers the rest, keeping their order. */
  private compactIfWorthIt(): void {
    if (this.deadCount < COMPACT_MIN_DEAD || this.deadCount < this.ordinalCount * COMPACT_AT_DEAD_SHARE) {
      return;
    }
    const renumbered = new Int32Array(this.ordinalCount).fill(-1);
    let next = 0;
    for (let ordinal = 0; ordinal < this.ordinalCount; ordinal++) {
      if (this.slotOf[ordinal] >= 0) {
        renumbered[ordinal] = next;
        this.slotOf[next] = this.slotOf[ordinal];
        this.roleOf[next] = this.roleOf[ordinal];
        this.timeOf[next] = this.timeOf[ordinal];
        this.hashOf[next] = this.hashOf[ordinal];
        this.storedAt?.copyWithin(next * 2, ordinal * 2, ordinal * 2 + 2);
        next++;
      }
    }
    this.ordinalCount = next;
    this.deadCount = 0;
    this.slots.forEach((entry) => entry && (entry.ordinals = entry.ordinals.map((ordinal) => renumbered[ordinal])));
    for (const [term, list] of this.terms) {
      const kept = new PostingList();
      list.forEach((ordinal) => renumbered[ordinal] >= 0 && kept.add(renumbered[ordinal]));
      if (kept.count === 0) {
        this.terms.delete(term);
      } else {
        this.terms.set(term, kept);
      }
    }
    this.sortedTerms = undefined;
    this.tableOrNone = undefined;
  }
}

/** Where a message's hash starts: its id and a separator (FNV-1a). */
function idSeed(id: string): number {
  return Math.imul(wordHash(id, 0, id.length) ^ 0xffff, 0x01000193);
}
