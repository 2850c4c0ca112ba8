import { PostingList } from '../../../core/wordIndex/postingList';
import { SavedWords } from '../../../core/wordIndex/wordIndex';

// The word directory of a saved index (wordIndexFile.ts), read where it lies: entries of a fixed
// size in word order (JavaScript's string order), the words' names back to back after them, so a
// word, or the range of words a prefix begins, is found by halves, and a cold search touches a
// few dozen entries instead of making a map of every word. An entry is five u32s: where its name
// ends among the names, where its list ends among the lists (each starts where the one before
// ends), the list's count of ordinals, its last ordinal and its CRC-32.

export const DIRECTORY_ENTRY_BYTES = 20;

export class DamagedIndexError extends Error {
  constructor(file: string, what: string) {
    super(`the search index ${file} is damaged: ${what}`);
    this.name = 'DamagedIndexError';
  }
}

/** Reads the bytes of one list, lazily; throws DamagedIndexError if they do not check. */
export type ListReader = (offset: number, length: number, checksum: number) => () => Uint8Array;

export class SavedWordDirectory implements SavedWords {
  constructor(
    private readonly entryBytes: Buffer,
    private readonly names: Buffer,
    readonly size: number,
    private readonly readList: ListReader,
    private readonly file: string,
  ) {}

  /** The bytes of lists the directory says follow the head. */
  get listsLength(): number {
    return this.size === 0 ? 0 : this.field(this.size - 1, 1);
  }

  find(word: string): PostingList | undefined {
    const at = this.lowerBound(word);
    return at < this.size && this.nameAt(at) === word ? this.listAt(at) : undefined;
  }

  wordsWithPrefix(prefix: string): string[] {
    const words: string[] = [];
    for (let at = this.lowerBound(prefix); at < this.size; at++) {
      const name = this.nameAt(at);
      if (!name.startsWith(prefix)) {
        break;
      }
      words.push(name);
    }
    return words;
  }

  *entries(): IterableIterator<[string, PostingList]> {
    for (let at = 0; at < this.size; at++) {
      yield [this.nameAt(at), this.listAt(at)];
    }
  }

  /** The first entry whose word is not below `word`. */
  private lowerBound(word: string): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.nameAt(middle) < word) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private field(at: number, which: number): number {
    return this.entryBytes.readUInt32LE(at * DIRECTORY_ENTRY_BYTES + which * 4);
  }

  private nameAt(at: number): string {
    const start = at === 0 ? 0 : this.field(at - 1, 0);
    const end = this.field(at, 0);
    if (start > end || end > this.names.length) {
      throw new DamagedIndexError(this.file, 'a word of the directory runs past its names');
    }
    return this.names.toString('utf8', start, end);
  }

  private listAt(at: number): PostingList {
    const start = at === 0 ? 0 : this.field(at - 1, 1);
    const end = this.field(at, 1);
    if (start > end || end > this.listsLength) {
      throw new DamagedIndexError(this.file, 'a word list runs past the lists');
    }
    return PostingList.unreadFrom(this.readList(start, end - start, this.field(at, 4)), end - start, this.field(at, 2), this.field(at, 3));
  }
}
