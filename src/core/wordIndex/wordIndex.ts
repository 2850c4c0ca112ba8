import { ROLES, Session } from '../model';
import { textTokens } from '../textSearch/textTokens';
import { PostingList } from './postingList';

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
  ordinals: number[];
  title: string;
  titleTokens: string[];
  tags: string[];
  source: string;
  lastMessageAt: string;
}

const INITIAL_ORDINALS = 1024;
/** Dead ordinals are dropped from the lists once they are this share of all ordinals. */
const COMPACT_AT_DEAD_SHARE = 0.5;
const COMPACT_MIN_DEAD = 4096;

export class WordIndex {
  readonly terms = new Map<string, PostingList>();
  /** The slots whose title holds each word (titles change in place, so sets rather than lists). */
  readonly titleTerms = new Map<string, Set<number>>();
  /** Slot of each ordinal's session; -1 once the message is gone or changed. */
  slotOf = new Int32Array(INITIAL_ORDINALS);
  roleOf = new Uint8Array(INITIAL_ORDINALS);
  /** createdAt of each message, in ms (NaN when unreadable). */
  timeOf = new Float64Array(INITIAL_ORDINALS);
  hashOf = new Uint32Array(INITIAL_ORDINALS);
  ordinalCount = 0;
  deadCount = 0;
  /** By slot; undefined for a free slot. */
  readonly slots: (IndexedSession | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private sortedTerms: string[] | undefined;
  private sortedTitleTerms: string[] | undefined;
  /** One query's marks, reused by the next (queries are answered synchronously). */
  private scratch = new Uint8Array(0);

  get size(): number {
    return this.slotById.size;
  }

  entry(id: string): IndexedSession | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.slots[slot];
  }

  slotOfSession(id: string): number | undefined {
    return this.slotById.get(id);
  }

  ids(): IterableIterator<string> {
    return this.slotById.keys();
  }

  /** Makes the index hold the session as given, at the store's `version` of it. */
  put(session: Session, version: string): void {
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
    const ordinals = session.messages.map((message) => {
      const hash = messageHash(message.id, message.content);
      return reusable.get(hash)?.shift() ?? this.addMessage(slot, hash, message);
    });
    reusable.forEach((left) => left.forEach((ordinal) => this.kill(ordinal)));
    const { id, title, tags, source, lastMessageAt } = session;
    if (previous) {
      this.indexTitle(slot, previous.titleTokens, false);
    }
    const entry: IndexedSession = { id, version, ordinals, title, titleTokens: textTokens(title), tags: [...tags], source, lastMessageAt };
    this.slots[slot] = entry;
    this.indexTitle(slot, entry.titleTokens, true);
    this.compactIfWorthIt();
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) {
      return false;
    }
    const entry = this.slots[slot];
    entry?.ordinals.forEach((ordinal) => this.kill(ordinal));
    if (entry) {
      this.indexTitle(slot, entry.titleTokens, false);
    }
    this.slots[slot] = undefined;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /** The lists of the words that start with `prefix` (the word being typed). */
  listsWithPrefix(prefix: string): PostingList[] {
    this.sortedTerms ??= [...this.terms.keys()].sort();
    return wordsWithPrefix(this.sortedTerms, prefix).flatMap((word) => this.terms.get(word) ?? []);
  }

  /** The title sets of the words that start with `prefix`. */
  titleSetsWithPrefix(prefix: string): Set<number>[] {
    this.sortedTitleTerms ??= [...this.titleTerms.keys()].sort();
    return wordsWithPrefix(this.sortedTitleTerms, prefix).flatMap((word) => this.titleTerms.get(word) ?? []);
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
    this.indexTitle(slot, entry.titleTokens, true);
  }

  /** After a restore: the free slots are those no session took. */
  restoreDone(): void {
    this.freeSlots.length = 0;
    this.slots.forEach((entry, slot) => entry === undefined && this.freeSlots.push(slot));
    this.sortedTerms = undefined;
  }

  private indexTitle(slot: number, tokens: readonly string[], add: boolean): void {
    for (const token of tokens) {
      let slots = this.titleTerms.get(token);
      if (add) {
        if (!slots) {
          slots = new Set();
          this.titleTerms.set(token, slots);
          this.sortedTitleTerms = undefined;
        }
        slots.add(slot);
      } else if (slots?.delete(slot) && slots.size === 0) {
        this.titleTerms.delete(token);
        this.sortedTitleTerms = undefined;
      }
    }
  }

  private addMessage(slot: number, hash: number, message: Session['messages'][number]): number {
    const ordinal = this.nextOrdinal();
    this.slotOf[ordinal] = slot;
    this.roleOf[ordinal] = ROLES.indexOf(message.role);
    this.timeOf[ordinal] = Date.parse(message.createdAt);
    this.hashOf[ordinal] = hash;
    for (const token of textTokens(message.content)) {
      let list = this.terms.get(token);
      if (!list) {
        list = new PostingList();
        this.terms.set(token, list);
        this.sortedTerms = undefined;
      }
      list.add(ordinal);
    }
    return ordinal;
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
        this.sortedTerms = undefined;
      } else {
        this.terms.set(term, kept);
      }
    }
  }
}

/** The words of a sorted list that start with `prefix`. */
function wordsWithPrefix(sorted: readonly string[], prefix: string): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < prefix) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  const words: string[] = [];
  for (let at = low; at < sorted.length && sorted[at].startsWith(prefix); at++) {
    words.push(sorted[at]);
  }
  return words;
}

/** FNV-1a over the id and the content: equal for an unchanged message. */
export function messageHash(id: string, content: string): number {
  let hash = 0x811c9dc5;
  const mix = (text: string): void => {
    for (let at = 0; at < text.length; at++) {
      hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
    }
  };
  mix(id);
  hash = Math.imul(hash ^ 0xffff, 0x01000193);
  mix(content);
  return hash >>> 0;
}
