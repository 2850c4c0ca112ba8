import { readFile } from 'node:fs/promises';
import { PostingList } from '../../../core/wordIndex/postingList';
import { IndexedSession, WordIndex } from '../../../core/wordIndex/wordIndex';
import { writeFileAtomically } from '../../fs/atomicFile';
import { bytesOf, crc32, u32 } from './indexBytes';

// A word index saved whole, in one atomic replacement, so the next process starts from it and
// reads again only the sessions whose version changed since. Layout (little-endian): a magic,
// a JSON header (the sessions, with their versions), the per-message arrays, the word lists,
// and a checksum of all of it. Whatever does not read back exactly — a torn or foreign file, a
// flipped bit, an older layout — is no index: the caller builds one from the store.

const MAGIC = Buffer.from('MCWORDS1');
const LAYOUT = 2;

interface SavedHeader {
  layout: number;
  /** What the index is of (a store's spec): an index of another store is no index of this one. */
  of: string;
  ordinalCount: number;
  deadCount: number;
  /** [slot, id, version, title, its words, tags, source, lastMessageAt, number of ordinals] */
  sessions: [number, string, string, string, string[], string[], string, string, number][];
  termCount: number;
}

export async function saveWordIndex(path: string, of: string, index: WordIndex): Promise<void> {
  const parts = indexParts(of, index);
  let checksum = 0;
  await writeFileAtomically(path, async (write) => {
    for (const part of parts) {
      checksum = crc32(part, checksum);
      await write(part);
    }
    await write(u32(checksum));
  });
}

/** The index saved at `path` for `of`, or undefined when there is none that reads back whole. */
export async function loadWordIndex(path: string, of: string): Promise<WordIndex | undefined> {
  const bytes = await readFile(path).catch(() => undefined);
  if (!bytes || bytes.length < MAGIC.length + 8 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return undefined;
  }
  const body = bytes.subarray(0, bytes.length - 4);
  if (crc32(body, 0) !== bytes.readUInt32LE(bytes.length - 4)) {
    return undefined;
  }
  try {
    return readIndex(body, of);
  } catch {
    return undefined; // a checksum that matches over a layout that does not: no index either
  }
}

function indexParts(of: string, index: WordIndex): Uint8Array[] {
  const n = index.ordinalCount;
  const sessions: SavedHeader['sessions'] = [];
  const ordinals: number[] = [];
  index.slots.forEach((entry, slot) => {
    if (entry) {
      sessions.push([slot, entry.id, entry.version, entry.title, entry.titleTokens, entry.tags, entry.source, entry.lastMessageAt, entry.ordinals.length]);
      ordinals.push(...entry.ordinals);
    }
  });
  const header: SavedHeader = { layout: LAYOUT, of, ordinalCount: n, deadCount: index.deadCount, sessions, termCount: index.terms.size };
  const headerBytes = Buffer.from(JSON.stringify(header));
  return [
    MAGIC,
    u32(headerBytes.length),
    headerBytes,
    bytesOf(Int32Array.from(ordinals)),
    // Copies: the index may change while the file is written; the lists only ever grow past what is saved.
    bytesOf(index.slotOf.slice(0, n)),
    bytesOf(index.hashOf.slice(0, n)),
    bytesOf(index.timeOf.slice(0, n)),
    index.roleOf.slice(0, n),
    termsPart(index),
  ];
}

function termsPart(index: WordIndex): Uint8Array {
  const terms = [...index.terms].map(([term, list]) => [Buffer.from(term), list] as const);
  const out = Buffer.alloc(terms.reduce((size, [name, list]) => size + 2 + name.length + 12 + list.length, 0));
  let at = 0;
  for (const [name, list] of terms) {
    at = out.writeUInt16LE(name.length, at);
    at += name.copy(out, at);
    at = out.writeUInt32LE(list.count, at);
    at = out.writeUInt32LE(list.last, at);
    at = out.writeUInt32LE(list.length, at);
    out.set(list.compact(), at);
    at += list.length;
  }
  return out;
}

/** Reads the parts back in order; throws on anything out of place. */
function readIndex(body: Buffer, of: string): WordIndex | undefined {
  let at = MAGIC.length;
  const headerLength = body.readUInt32LE(at);
  at += 4;
  const header = JSON.parse(body.toString('utf8', at, at + headerLength)) as SavedHeader;
  at += headerLength;
  if (header.layout !== LAYOUT || header.of !== of) {
    return undefined;
  }
  const n = header.ordinalCount;
  const take = (length: number): ArrayBuffer => {
    if (at + length > body.length) {
      throw new Error('the arrays run past the end');
    }
    const copy = new Uint8Array(length);
    copy.set(body.subarray(at, at + length));
    at += length;
    return copy.buffer;
  };
  const totalOrdinals = header.sessions.reduce((sum, saved) => sum + saved[8], 0);
  const ordinals = new Int32Array(take(totalOrdinals * 4));
  const index = new WordIndex();
  index.growOrdinals(Math.max(n, 1024));
  index.slotOf.set(new Int32Array(take(n * 4)));
  index.hashOf.set(new Uint32Array(take(n * 4)));
  index.timeOf.set(new Float64Array(take(n * 8)));
  index.roleOf.set(new Uint8Array(take(n)));
  index.ordinalCount = n;
  index.deadCount = header.deadCount;
  restoreSessions(index, header, ordinals);
  at = restoreTerms(index, body, at, header.termCount);
  if (at !== body.length) {
    throw new Error('trailing bytes');
  }
  index.restoreDone();
  return index;
}

function restoreSessions(index: WordIndex, header: SavedHeader, ordinals: Int32Array): void {
  let from = 0;
  for (const saved of header.sessions) {
    if (!isSavedSession(saved, index.ordinalCount)) {
      throw new Error('a session entry of the wrong shape');
    }
    const [slot, id, version, title, titleTokens, tags, source, lastMessageAt, count] = saved;
    const entry: IndexedSession = { id, version, ordinals: ordinals.subarray(from, from + count), title, titleTokens, tags, source, lastMessageAt };
    index.restoreSession(slot, entry);
    from += count;
  }
}

function restoreTerms(index: WordIndex, body: Buffer, start: number, termCount: number): number {
  let at = start;
  for (let term = 0; term < termCount; term++) {
    const nameLength = body.readUInt16LE(at);
    const name = body.toString('utf8', at + 2, at + 2 + nameLength);
    at += 2 + nameLength;
    const count = body.readUInt32LE(at);
    const last = body.readUInt32LE(at + 4);
    const length = body.readUInt32LE(at + 8);
    at += 12;
    if (at + length > body.length) {
      throw new Error('a word list runs past the end');
    }
    index.restoreTerm(name, PostingList.fromBytes(new Uint8Array(body.buffer, body.byteOffset + at, length), count, last));
    at += length;
  }
  return at;
}

/** The shape restoreSessions relies on (the checksum catches damage, not a file made to mislead). */
function isSavedSession(saved: unknown, ordinalCount: number): saved is SavedHeader['sessions'][number] {
  if (!Array.isArray(saved) || saved.length !== 9) {
    return false;
  }
  const [slot, id, version, title, titleTokens, tags, source, lastMessageAt, count] = saved as unknown[];
  const strings = [id, version, title, source, lastMessageAt].every((each) => typeof each === 'string');
  const lists = [titleTokens, tags].every((each) => Array.isArray(each) && each.every((item) => typeof item === 'string'));
  return strings && lists && Number.isInteger(slot) && (slot as number) >= 0 && Number.isInteger(count) && (count as number) >= 0 && (count as number) <= ordinalCount;
}
