import { PostingList } from './postingList';

// The words of an index by hash, for building: a message's words are looked up straight from its
// text (start and end of each run), so the tens of millions of words of a large store are never
// cut into strings of their own, only the few thousand distinct ones. Open addressing over a
// power-of-two table; a word's list is found in a few probes. Pure.

const EMPTY = -1;

/** FNV-1a over the characters of text[start, end), from `seed` (to go on from an earlier hash). */
export function wordHash(text: string, start: number, end: number, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let at = start; at < end; at++) {
    hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  }
  return hash >>> 0;
}

export class TermTable {
  private slots = new Int32Array(1 << 12).fill(EMPTY);
  private readonly words: string[] = [];
  private readonly hashes: number[] = [];
  readonly lists: PostingList[] = [];

  /** The list of text[start, end), made (with its word) when the word is new; `created` says so. */
  listOf(text: string, start: number, end: number, created: (word: string, list: PostingList) => void): PostingList {
    return this.listAt(text, start, end, wordHash(text, start, end), created);
  }

  private listAt(text: string, start: number, end: number, hash: number, created: (word: string, list: PostingList) => void): PostingList {
    const mask = this.slots.length - 1;
    for (let probe = hash & mask; ; probe = (probe + 1) & mask) {
      const id = this.slots[probe];
      if (id === EMPTY) {
        return this.insert(text.slice(start, end), hash, probe, created);
      }
      if (this.hashes[id] === hash && sameWord(this.words[id], text, start, end)) {
        return this.lists[id];
      }
    }
  }

  /**
   * Adds `ordinal` to the list of every word of lower-case ASCII text: the words are found, hashed
   * and looked up in one pass over the characters (see eachAsciiWord for what a word is).
   */
  addWordsOf(lower: string, ordinal: number, maxLength: number, created: (word: string, list: PostingList) => void): void {
    let start = -1;
    let hash = 0;
    for (let at = 0; at <= lower.length; at++) {
      const code = at < lower.length ? lower.charCodeAt(at) : 0;
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
        if (start < 0) {
          start = at;
          hash = 0x811c9dc5;
        }
        if (at - start < maxLength) {
          hash = Math.imul(hash ^ code, 0x01000193);
        }
      } else if (start >= 0) {
        this.listAt(lower, start, Math.min(at, start + maxLength), hash >>> 0, created).add(ordinal);
        start = -1;
      }
    }
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

  private insert(word: string, hash: number, probe: number, created: (word: string, list: PostingList) => void, list = new PostingList()): PostingList {
    // A copy: a word cut from a message would otherwise keep the whole message alive.
    const own = (' ' + word).slice(1);
    this.slots[probe] = this.words.length;
    this.words.push(own);
    this.hashes.push(hash);
    this.lists.push(list);
    created(own, list);
    if (this.words.length * 2 > this.slots.length) {
      this.grow();
    }
    return list;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    this.hashes.forEach((hash, id) => {
      let probe = hash & mask;
      while (this.slots[probe] !== EMPTY) {
        probe = (probe + 1) & mask;
      }
      this.slots[probe] = id;
    });
  }
}

function sameWord(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) {
    return false;
  }
  for (let at = 0; at < word.length; at++) {
    if (word.charCodeAt(at) !== text.charCodeAt(start + at)) {
      return false;
    }
  }
  return true;
}
