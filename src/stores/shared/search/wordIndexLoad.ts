import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { IndexedSession, WordIndex } from '../../../core/wordIndex/wordIndex';
import { crc32 } from './indexBytes';
import { DIRECTORY_ENTRY_BYTES, DamagedIndexError, ListReader, SavedWordDirectory } from './savedWordDirectory';
import { LAYOUT, MAGIC, SavedHeader } from './wordIndexFile';

// Reading a saved word index (layout in wordIndexFile.ts): the head at once, checked whole, and
// each word's list only when a query needs it, from the same open file (a save by another
// process replaces the file by renaming a new one over it, so what is open stays the version
// the head describes), checked against its own CRC. A list that does not check throws
// DamagedIndexError, and the caller builds the index again.

export { DamagedIndexError };

export interface LoadedIndex {
  index: WordIndex;
  /** Closes the file the unread lists are read from (reading one afterwards throws). */
  close(): void;
}

/** The index saved at `path` for `of`, or undefined when there is none whose head reads back whole. */
export function loadWordIndex(path: string, of: string): LoadedIndex | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const index = readIndex(fd, path, of);
    if (index) {
      return { index, close: () => closeSync(fd) };
    }
  } catch {
    // a head that does not read back: no index
  }
  closeSync(fd);
  return undefined;
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const bytes = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, bytes, done, length - done, position + done);
    if (read === 0) {
      throw new Error('the file ends early');
    }
    done += read;
  }
  return bytes;
}

function readIndex(fd: number, path: string, of: string): WordIndex | undefined {
  const size = fstatSync(fd).size;
  const preamble = readExactly(fd, MAGIC.length + 4, 0);
  if (!preamble.subarray(0, MAGIC.length).equals(MAGIC)) {
    return undefined;
  }
  const headLength = preamble.readUInt32LE(MAGIC.length);
  const listsStart = MAGIC.length + 4 + headLength + 4;
  if (listsStart > size) {
    return undefined;
  }
  const head = readExactly(fd, headLength + 4, MAGIC.length + 4);
  if (crc32(head.subarray(0, headLength), 0) !== head.readUInt32LE(headLength)) {
    return undefined;
  }
  const reader = new HeadReader(head.subarray(0, headLength));
  const header = JSON.parse(reader.text(reader.u32())) as SavedHeader;
  if (header.layout !== LAYOUT || header.of !== of) {
    return undefined;
  }
  const index = restoreArrays(reader, header);
  restoreSessions(index, header, reader.ordinals);
  const directory = restoreWords(reader, header, (offset, length, checksum) => () => {
    const bytes = readExactly(fd, length, listsStart + offset);
    if (crc32(bytes, 0) !== checksum) {
      throw new DamagedIndexError(path, 'a word list does not match its checksum');
    }
    return bytes;
  }, path);
  if (!reader.done || listsStart + directory.listsLength !== size) {
    throw new Error('the parts do not add up to the file');
  }
  index.restoreWords(directory);
  index.restoreDone();
  return index;
}

/** Reads the head's parts in order; throws on anything running past its end. */
class HeadReader {
  at = 0;
  ordinals = new Int32Array(0);

  constructor(private readonly bytes: Buffer) {}

  get done(): boolean {
    return this.at === this.bytes.length;
  }

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  u32(): number {
    const value = this.bytes.readUInt32LE(this.at);
    this.at += 4;
    return value;
  }

  text(length: number): string {
    return this.bytes.toString('utf8', this.at, this.take(length));
  }

  /** A copy of the next `length` bytes, aligned for a typed array. */
  copy(length: number): ArrayBuffer {
    const start = this.at;
    const out = new Uint8Array(length);
    out.set(this.bytes.subarray(start, this.take(length)));
    return out.buffer;
  }

  private take(length: number): number {
    if (this.at + length > this.bytes.length) {
      throw new Error('a part runs past the end of the head');
    }
    this.at += length;
    return this.at;
  }
}

function restoreArrays(reader: HeadReader, header: SavedHeader): WordIndex {
  const n = header.ordinalCount;
  // Sized against the head before anything is allocated for it: 17 bytes of arrays per message.
  if (!Number.isInteger(n) || n < 0 || n * 17 > reader.remaining || !Array.isArray(header.sessions) || !Number.isInteger(header.termCount)) {
    throw new Error('a header of the wrong shape');
  }
  const totalOrdinals = header.sessions.reduce((sum, saved) => sum + (Number(saved[3]) || 0), 0);
  reader.ordinals = new Int32Array(reader.copy(totalOrdinals * 4));
  const index = new WordIndex();
  index.growOrdinals(Math.max(n, 1024));
  index.slotOf.set(new Int32Array(reader.copy(n * 4)));
  index.hashOf.set(new Uint32Array(reader.copy(n * 4)));
  index.timeOf.set(new Float64Array(reader.copy(n * 8)));
  index.roleOf.set(new Uint8Array(reader.copy(n)));
  if (header.storedAt === true) {
    index.restoreStoredAt(new Uint32Array(reader.copy(n * 8)));
  }
  index.ordinalCount = n;
  index.deadCount = header.deadCount;
  return index;
}

function restoreSessions(index: WordIndex, header: SavedHeader, ordinals: Int32Array): void {
  let from = 0;
  for (const saved of header.sessions) {
    if (!isSavedSession(saved, index.ordinalCount)) {
      throw new Error('a session entry of the wrong shape');
    }
    const [slot, id, version, count, titleWords] = saved;
    const entry: IndexedSession = { id, version, ordinals: ordinals.subarray(from, from + count), titleWords };
    index.restoreSession(slot, entry);
    from += count;
  }
}

/** The word directory, as saved (read where it lies: savedWordDirectory.ts). */
function restoreWords(reader: HeadReader, header: SavedHeader, read: ListReader, file: string): SavedWordDirectory {
  const { termCount, namesLength } = header;
  if (!Number.isInteger(namesLength) || namesLength < 0 || termCount < 0) {
    throw new Error('a header of the wrong shape');
  }
  const entries = Buffer.from(reader.copy(termCount * DIRECTORY_ENTRY_BYTES));
  const names = Buffer.from(reader.copy(namesLength));
  return new SavedWordDirectory(entries, names, termCount, read, file);
}

/** The shape restoreSessions relies on (the checksum catches damage, not a file made to mislead). */
function isSavedSession(saved: unknown, ordinalCount: number): saved is SavedHeader['sessions'][number] {
  if (!Array.isArray(saved) || saved.length !== 5) {
    return false;
  }
  const [slot, id, version, count, titleWords] = saved as unknown[];
  return typeof id === 'string' && typeof version === 'string' && typeof titleWords === 'string' && Number.isInteger(slot) && (slot as number) >= 0 && Number.isInteger(count) && (count as number) >= 0 && (count as number) <= ordinalCount;
}
