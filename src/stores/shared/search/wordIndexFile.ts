import { WordIndex } from '../../../core/wordIndex/wordIndex';
import { writeFileAtomically } from '../../fs/atomicFile';
import { bytesOf, crc32, u32 } from './indexBytes';

// A word index saved whole, in one atomic replacement, so the next process starts from it and
// reads again only the sessions whose version changed since. Layout (little-endian):
//
//   magic · u32 head length · head · u32 CRC-32 of the head · the word lists, back to back
//   head = u32 header length · JSON header (the sessions, with their versions) · the sessions'
//          ordinals · the per-message arrays · the word directory (each word's count, last
//          ordinal, place in the lists and CRC-32)
//
// A process reads the head and only the lists its queries need (wordIndexLoad.ts), so a cold
// `multichat search` does not read 30 MB to use 200 KB. Whatever does not read back exactly — a
// torn or foreign file, a flipped bit, an older layout — is no index: it is built again.

export const MAGIC = Buffer.from('MCWORDS1');
export const LAYOUT = 6;

export interface SavedHeader {
  layout: number;
  /** What the index is of (a store's spec): an index of another store is no index of this one. */
  of: string;
  ordinalCount: number;
  deadCount: number;
  /** [slot, id, version, number of ordinals, the title's words]: titles, tags and the like are the store's (its summaries). */
  sessions: [number, string, string, number, string][];
  termCount: number;
}

export async function saveWordIndex(path: string, of: string, index: WordIndex): Promise<void> {
  const { head, lists } = indexParts(of, index);
  await writeFileAtomically(path, async (write) => {
    await write(MAGIC);
    await write(u32(head.reduce((size, part) => size + part.byteLength, 0)));
    let checksum = 0;
    for (const part of head) {
      checksum = crc32(part, checksum);
      await write(part);
    }
    await write(u32(checksum));
    await write(lists);
  });
}

function indexParts(of: string, index: WordIndex): { head: Uint8Array[]; lists: Uint8Array } {
  const n = index.ordinalCount;
  const sessions: SavedHeader['sessions'] = [];
  const ordinals: number[] = [];
  index.slots.forEach((entry, slot) => {
    if (entry) {
      sessions.push([slot, entry.id, entry.version, entry.ordinals.length, entry.titleWords]);
      ordinals.push(...entry.ordinals);
    }
  });
  const header: SavedHeader = { layout: LAYOUT, of, ordinalCount: n, deadCount: index.deadCount, sessions, termCount: index.terms.size };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const { directory, lists } = wordParts(index);
  const head = [
    u32(headerBytes.length),
    headerBytes,
    bytesOf(Int32Array.from(ordinals)),
    // Copies: the index may change while the file is written; the lists only ever grow past what is saved.
    bytesOf(index.slotOf.slice(0, n)),
    bytesOf(index.hashOf.slice(0, n)),
    bytesOf(index.timeOf.slice(0, n)),
    index.roleOf.slice(0, n),
    directory,
  ];
  return { head, lists };
}

/** The word directory (u16 name length, name, u32 count, last, offset, length, CRC-32) and the lists. */
function wordParts(index: WordIndex): { directory: Uint8Array; lists: Uint8Array } {
  const words = [...index.terms].map(([word, list]) => ({ name: Buffer.from(word), list, bytes: list.compact() }));
  const directory = Buffer.alloc(words.reduce((size, { name }) => size + 2 + name.length + 20, 0));
  const lists = Buffer.alloc(words.reduce((size, { bytes }) => size + bytes.length, 0));
  let at = 0;
  let offset = 0;
  for (const { name, list, bytes } of words) {
    at = directory.writeUInt16LE(name.length, at);
    at += name.copy(directory, at);
    at = directory.writeUInt32LE(list.count, at);
    at = directory.writeUInt32LE(list.last, at);
    at = directory.writeUInt32LE(offset, at);
    at = directory.writeUInt32LE(bytes.length, at);
    at = directory.writeUInt32LE(crc32(bytes, 0), at);
    lists.set(bytes, offset);
    offset += bytes.length;
  }
  return { directory, lists };
}
