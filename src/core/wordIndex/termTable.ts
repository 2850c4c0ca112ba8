import { MAX_TOKEN_LENGTH } from '../textSearch/textTokens';
import { PostingList } from './postingList';

// The words of an index by hash, for building: a message's words are looked up straight from its
// bytes (start and end of each run), so the tens of millions of words of a large store are never
// cut into strings of their own, only the few thousand distinct ones. Open addressing over a
// power-of-two table; a word's list is found in a few probes. Pure.
//
// Why bytes: once any code in the process subclasses String (ioredis does, for RESP3 verbatim
// strings), V8 no longer inlines charCodeAt and a loop over a string's characters runs ~6× slower;
// a loop over a Uint8Array is untouched. ASCII words keep their bytes in one pool to be compared
// with; other words (from text that is not ASCII) are compared as strings.
//
// Why a queue: a build adds tens of millions of (word, message) pairs, and adding each to its
// word's list at once touches one of thousands of lists, scattered in memory, every few bytes of
// text. Pairs wait in a queue instead, sorted by word when it fills, so each list takes a run of
// messages at a time. Whoever reads the lists calls flush() first (wordIndex.ts does).

const EMPTY = -1;
/** Pairs a queue holds before they are put in their lists (3 MB while building; emptied queues are let go). */
const QUEUE_PAIRS = 1 << 18;
const FIRST_QUEUE_PAIRS = 1 << 10;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export type TermCreated = (word: string, list: PostingList) => void;

/** FNV-1a over the characters of text[start, end), from `seed` (to go on from an earlier hash). */
export function wordHash(text: string, start: number, end: number, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let at = start; at < end; at++) {
    hash = Math.imul(hash ^ text.charCodeAt(at), FNV_PRIME);
  }
  return hash >>> 0;
}

/** FNV-1a over bytes[0, length), from `seed`: equal to wordHash over the same text when it is ASCII. */
export function bytesHash(bytes: Uint8Array, length: number, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let at = 0; at < length; at++) {
    hash = Math.imul(hash ^ bytes[at], FNV_PRIME);
  }
  return hash >>> 0;
}

/** What addWordsOf returns for the same bytes: their hash with a closing 0 (the loop's end). */
export function textBytesHash(bytes: Uint8Array, length: number, seed: number): number {
  return Math.imul(bytesHash(bytes, length, seed), FNV_PRIME) >>> 0;
}

export class TermTable {
  private slots = new Int32Array(1 << 12).fill(EMPTY);
  private count = 0;
  private hashes = new Uint32Array(1 << 11);
  /** Where an ASCII word's bytes start in the pool; its length there (-1 for a word that is not ASCII). */
  private poolAt = new Int32Array(1 << 11);
  private poolLength = new Int32Array(1 << 11);
  private pool: Buffer = Buffer.alloc(1 << 14);
  private poolUsed = 0;
  private readonly words: string[] = [];
  readonly lists: PostingList[] = [];
  /** By word: the last message queued for it, so a word said twice in a message is queued once. */
  private lastQueued = new Int32Array(1 << 11).fill(-1);
  private queuedWords = new Int32Array(0);
  private queuedOrdinals = new Int32Array(0);
  private queued = 0;

  /** Queues `ordinal` for the list of a word, made (with the word) when it is new; `created` says so. */
  addWord(word: string, ordinal: number, created: TermCreated): void {
    const hash = wordHash(word, 0, word.length);
    const mask = this.slots.length - 1;
    for (let probe = hash & mask; ; probe = (probe + 1) & mask) {
      const id = this.slots[probe];
      if (id === EMPTY) {
        this.queue(this.insert(word, hash, probe, created), ordinal);
        return;
      }
      if (this.hashes[id] === hash && this.words[id] === word) {
        this.queue(id, ordinal);
        return;
      }
    }
  }

  /** Puts every queued pair in its list, in the order queued (ordinals only grow), and lets the queue go. */
  flush(): void {
    if (this.queuedWords.length > 0) {
      this.putQueued();
      this.queuedWords = new Int32Array(0);
      this.queuedOrdinals = new Int32Array(0);
    }
  }

  private putQueued(): void {
    // A counting sort by word: starts[id] is where the word's run begins in `sorted`.
    const starts = new Int32Array(this.count + 1);
    for (let at = 0; at < this.queued; at++) {
      starts[this.queuedWords[at] + 1]++;
    }
    for (let id = 0; id < this.count; id++) {
      starts[id + 1] += starts[id];
    }
    const next = starts.slice(0, this.count);
    const sorted = new Int32Array(this.queued);
    for (let at = 0; at < this.queued; at++) {
      sorted[next[this.queuedWords[at]]++] = this.queuedOrdinals[at];
    }
    for (let id = 0; id < this.count; id++) {
      if (starts[id + 1] > starts[id]) {
        this.lists[id].addRun(sorted, starts[id], starts[id + 1]);
      }
    }
    this.queued = 0;
  }

  /**
   * Adds `ordinal` to the list of every word of lower-case ASCII text held as bytes[0, length): the
   * words are found, hashed and looked up in one pass (see eachAsciiWord for what a word is), which
   * also hashes the bytes and a closing 0 from `seed` (textBytesHash): the message's hash, returned.
   */
  addWordsOf(bytes: Buffer, length: number, ordinal: number, seed: number, created: TermCreated): number {
    let all = seed;
    let start = -1;
    let hash = 0;
    for (let at = 0; at <= length; at++) {
      const code = at < length ? bytes[at] : 0;
      all = Math.imul(all ^ code, FNV_PRIME);
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
        if (start < 0) {
          start = at;
          hash = FNV_OFFSET;
        }
        if (at - start < MAX_TOKEN_LENGTH) {
          hash = Math.imul(hash ^ code, FNV_PRIME);
        }
      } else if (start >= 0) {
        this.queue(this.idOfBytes(bytes, start, Math.min(at, start + MAX_TOKEN_LENGTH), hash >>> 0, created), ordinal);
        start = -1;
      }
    }
    return all >>> 0;
  }

  /** Adds a word known to be new (restoring a saved index). */
  add(word: string, list: PostingList): void {
    const hash = wordHash(word, 0, word.length);
    const mask = this.slots.length - 1;
    let probe = hash & mask;
    while (this.slots[probe] !== EMPTY) {
      probe = (probe + 1) & mask;
    }
    this.insert(word, hash, probe, () => undefined, list);
  }

  private queue(id: number, ordinal: number): void {
    if (this.lastQueued[id] === ordinal) {
      return;
    }
    this.lastQueued[id] = ordinal;
    if (this.queued === this.queuedWords.length) {
      this.makeRoom();
    }
    this.queuedWords[this.queued] = id;
    this.queuedOrdinals[this.queued++] = ordinal;
  }

  /** A full queue doubles, up to QUEUE_PAIRS; then it is flushed. */
  private makeRoom(): void {
    if (this.queuedWords.length === QUEUE_PAIRS) {
      this.putQueued();
      return;
    }
    const pairs = Math.max(FIRST_QUEUE_PAIRS, this.queuedWords.length * 2);
    this.queuedWords = grown(this.queuedWords, new Int32Array(pairs));
    this.queuedOrdinals = grown(this.queuedOrdinals, new Int32Array(pairs));
  }

  private idOfBytes(bytes: Buffer, start: number, end: number, hash: number, created: TermCreated): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let probe = hash & mask; ; probe = (probe + 1) & mask) {
      const id = this.slots[probe];
      if (id === EMPTY) {
        return this.insert(bytes.toString('latin1', start, end), hash, probe, created);
      }
      if (this.hashes[id] === hash && this.poolLength[id] === length) {
        const from = this.poolAt[id];
        let at = 0;
        while (at < length && this.pool[from + at] === bytes[start + at]) {
          at++;
        }
        if (at === length) {
          return id;
        }
      }
    }
  }

  /** Takes a new word, returning its id. */
  private insert(word: string, hash: number, probe: number, created: TermCreated, list = new PostingList()): number {
    // A copy: a word cut from a message would otherwise keep the whole message alive.
    const own = (' ' + word).slice(1);
    const id = this.count++;
    if (id === this.hashes.length) {
      this.hashes = grown(this.hashes, new Uint32Array(id * 2));
      this.poolAt = grown(this.poolAt, new Int32Array(id * 2));
      this.poolLength = grown(this.poolLength, new Int32Array(id * 2));
      this.lastQueued = grown(this.lastQueued, new Int32Array(id * 2).fill(-1));
    }
    this.slots[probe] = id;
    this.hashes[id] = hash;
    this.pool = this.pooled(own, id);
    this.words.push(own);
    this.lists.push(list);
    created(own, list);
    if (this.count * 2 > this.slots.length) {
      this.grow();
    }
    return id;
  }

  /** Puts an ASCII word's bytes in the pool (growing it if need be); other words stay out of it. */
  private pooled(word: string, id: number): Buffer {
    const ascii = Buffer.byteLength(word) === word.length;
    this.poolLength[id] = ascii ? word.length : -1;
    this.poolAt[id] = this.poolUsed;
    if (!ascii) {
      return this.pool;
    }
    const pool = this.poolUsed + word.length > this.pool.length ? grown(this.pool, Buffer.alloc(this.pool.length * 2 + word.length)) : this.pool;
    pool.write(word, this.poolUsed, 'latin1');
    this.poolUsed += word.length;
    return pool;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let probe = this.hashes[id] & mask;
      while (this.slots[probe] !== EMPTY) {
        probe = (probe + 1) & mask;
      }
      this.slots[probe] = id;
    }
  }
}

function grown<T extends Buffer | Int32Array | Uint32Array>(old: T, into: T): T {
  into.set(old);
  return into;
}
