import { setImmediate as nextTurn } from 'node:timers/promises';
import { turnTaker } from '../../../core/eventLoop';
import { IndexedSession, WordIndex } from '../../../core/wordIndex/wordIndex';
import { writeFileAtomically } from '../../fs/atomicFile';
import { bytesOf, crc32, u32 } from './indexBytes';
import { DIRECTORY_ENTRY_BYTES } from './savedWordDirectory';

// A word index saved whole, in one atomic replacement, so the next process starts from it and
// reads again only the sessions whose version changed since. Layout (little-endian):
//
//   magic · u32 head length · head · u32 CRC-32 of the head · the word lists, back to back
//   head = u32 header length · JSON header (the sessions, with their versions) · the sessions'
//          ordinals · the per-message arrays (where the store keeps each message last, when it
//          said) · the word directory (savedWordDirectory.ts: in word order, each
//          word's count, last ordinal, place in the lists and CRC-32)
//
// A process reads the head and only the lists its queries need (wordIndexLoad.ts), so a cold
// `multichat search` does not read 30 MB to use 200 KB. Whatever does not read back exactly — a
// torn or foreign file, a flipped bit, an older layout — is no index: it is built again.

export const MAGIC = Buffer.from('MCWORDS1');
export const LAYOUT = 8;

export interface SavedHeader {
  layout: number;
  /** What the index is of (a store's spec): an index of another store is no index of this one. */
  of: string;
  ordinalCount: number;
  deadCount: number;
  /** Whether the head holds where the store keeps each message (WordIndex.storedAt). */
  storedAt: boolean;
  /** [slot, id, version, number of ordinals, the title's words]: titles, tags and the like are the store's (its summaries). */
  sessions: [number, string, string, number, string][];
  termCount: number;
  /** Bytes of the words' names, after the directory's entries. */
  namesLength: number;
}

/** The head is written in pieces and the lists in slices of about this size, so a save never holds the event loop for long. */
const WRITE_SLICE_BYTES = 1 << 20;

export async function saveWordIndex(path: string, of: string, index: WordIndex): Promise<void> {
  await readEveryList(index);
  const taken = takeIndex(index);
  const { head, lists } = await indexParts(of, taken);
  await writeFileAtomically(path, async (write) => {
    await write(MAGIC);
    await write(u32(head.reduce((size, part) => size + part.byteLength, 0)));
    let checksum = 0;
    for (const part of head) {
      checksum = crc32(part, checksum);
      await write(part);
    }
    await write(u32(checksum));
    for (const slice of slicesOf(lists)) {
      await write(slice);
    }
  });
}

/** The index as it stands at one moment: what changes in place is copied, the rest is kept by reference. */
interface TakenIndex {
  ordinalCount: number;
  deadCount: number;
  storedAt: boolean;
  sessions: { slot: number; entry: IndexedSession }[];
  arrays: Uint8Array[];
  words: { name: string; count: number; last: number; bytes: Uint8Array }[];
}

/** A loaded index's lists still in their file are read in first, a turn at a time (a read changes nothing else). */
async function readEveryList(index: WordIndex): Promise<void> {
  const maybeYield = turnTaker();
  for (const list of index.terms.values()) {
    list.bytesNow();
    await maybeYield();
  }
}

/**
 * Synchronous, so the parts agree: the per-message arrays change in place (a message killed), so
 * they are copied; entries, their ordinals and the lists' bytes are only ever replaced, or grown
 * past what is taken, so views of them stay true while the file is written.
 */
function takeIndex(index: WordIndex): TakenIndex {
  const n = index.ordinalCount;
  const sessions: TakenIndex['sessions'] = [];
  index.slots.forEach((entry, slot) => entry && sessions.push({ slot, entry }));
  const arrays = [bytesOf(index.slotOf.slice(0, n)), bytesOf(index.hashOf.slice(0, n)), bytesOf(index.timeOf.slice(0, n)), index.roleOf.slice(0, n)];
  if (index.storedAt) {
    arrays.push(bytesOf(index.storedAt.slice(0, n * 2)));
  }
  const words = [...index.terms].map(([name, list]) => ({ name, count: list.count, last: list.last, bytes: list.compact() }));
  return { ordinalCount: n, deadCount: index.deadCount, storedAt: index.storedAt !== undefined, sessions, arrays, words };
}

async function indexParts(of: string, taken: TakenIndex): Promise<{ head: Uint8Array[]; lists: Uint8Array[] }> {
  // In the directory's order: it is searched by halves.
  taken.words.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const sessions: SavedHeader['sessions'] = taken.sessions.map(({ slot, entry }) => [slot, entry.id, entry.version, entry.ordinals.length, entry.titleWords]);
  const header: SavedHeader = { layout: LAYOUT, of, ordinalCount: taken.ordinalCount, deadCount: taken.deadCount, storedAt: taken.storedAt, sessions, termCount: taken.words.length, namesLength: taken.words.reduce((size, { name }) => size + Buffer.byteLength(name), 0) };
  const headerBytes = Buffer.from(JSON.stringify(header));
  await nextTurn();
  const ordinals = new Int32Array(taken.sessions.reduce((sum, { entry }) => sum + entry.ordinals.length, 0));
  taken.sessions.reduce((at, { entry }) => (ordinals.set(entry.ordinals, at), at + entry.ordinals.length), 0);
  const directory = await wordDirectory(taken.words);
  return { head: [u32(headerBytes.length), headerBytes, bytesOf(ordinals), ...taken.arrays, directory], lists: taken.words.map(({ bytes }) => bytes) };
}

/** The word directory (savedWordDirectory.ts: the entries, then the names), checksums taken a turn at a time. */
async function wordDirectory(words: TakenIndex['words']): Promise<Buffer> {
  const names = words.map(({ name }) => Buffer.from(name));
  const namesLength = names.reduce((size, name) => size + name.length, 0);
  const directory = Buffer.alloc(words.length * DIRECTORY_ENTRY_BYTES + namesLength);
  let at = 0;
  let nameAt = words.length * DIRECTORY_ENTRY_BYTES;
  let listEnd = 0;
  const maybeYield = turnTaker();
  for (const [position, { count, last, bytes }] of words.entries()) {
    nameAt += names[position].copy(directory, nameAt);
    listEnd += bytes.length;
    at = directory.writeUInt32LE(nameAt - words.length * DIRECTORY_ENTRY_BYTES, at);
    at = directory.writeUInt32LE(listEnd, at);
    at = directory.writeUInt32LE(count, at);
    at = directory.writeUInt32LE(last, at);
    at = directory.writeUInt32LE(crc32(bytes, 0), at);
    await maybeYield();
  }
  return directory;
}

/** The lists, back to back, as slices of about WRITE_SLICE_BYTES (a longer list is one slice of its own). */
function* slicesOf(lists: readonly Uint8Array[]): Generator<Uint8Array> {
  let group: Uint8Array[] = [];
  let size = 0;
  for (const list of lists) {
    if (size > 0 && size + list.length > WRITE_SLICE_BYTES) {
      yield Buffer.concat(group, size);
      group = [];
      size = 0;
    }
    group.push(list);
    size += list.length;
  }
  if (size > 0) {
    yield Buffer.concat(group, size);
  }
}
