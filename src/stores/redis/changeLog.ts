import { isWrongTypeError } from './keyTypes';
import { RedisConnection } from './redisConnection';
import { BucketKeys } from './redisKeys';
import { RedisReader } from './redisReader';

// Reading a bucket's change feed (a Redis stream the write scripts add to) from a cursor: what the
// live change events and the local search index both catch up from. Pub/sub only rings the bell;
// the feed is the record, so a missed bell or a reconnect loses nothing.

export interface FeedEntry {
  /** The stream entry id: the cursor once this entry is handled. */
  id: string;
  kind: 'created' | 'appended' | 'updated' | 'deleted';
  sessionId: string;
  writer: string;
}

export interface FeedCursor {
  /** The last entry handled ('0-0' for none). */
  id: string;
  /** How many entries the feed had been given then. */
  added: number;
}

export interface FeedRead {
  entries: FeedEntry[];
  /**
   * True when entries after the cursor may be gone: trimmed away (the reader was too far behind)
   * or the feed was deleted and began again. Whatever was derived from it must be rebuilt.
   */
  gap: boolean;
  cursor: FeedCursor;
  /** Sessions past their deadline that no write has swept from the index yet. */
  expired: string[];
}

export const START_CURSOR: FeedCursor = { id: '0-0', added: 0 };

const BATCH = 1_000;
const KINDS = new Set(['created', 'appended', 'updated', 'deleted']);

export async function readFeed(reader: RedisReader, bucket: BucketKeys, from: FeedCursor): Promise<FeedRead> {
  const entries: FeedEntry[] = [];
  let read: FeedRead = { entries, gap: false, cursor: from, expired: [] };
  for (;;) {
    const reply = await reader.run('mcChangesSince', [bucket.changes, bucket.expiry], [read.cursor.id, BATCH], 'follow changes');
    const batch = batchFrom(reply, read.cursor);
    entries.push(...batch.entries);
    read = { entries, gap: read.gap || batch.gap, cursor: batch.cursor, expired: batch.expired };
    if (batch.entries.length < BATCH) {
      return read;
    }
  }
}

/**
 * Where a bucket's feed ends now, as a cursor: what was derived from the data read after this
 * call needs only the entries after it. Cheaper than reading the whole feed from the start; the
 * last entry is still read (and so checked: a reader warns about entries the store did not write).
 */
export async function feedEnd(connection: RedisConnection, reader: RedisReader, bucket: BucketKeys): Promise<FeedCursor> {
  let last: [string, string[]][] = [];
  try {
    last = await connection.client.xrevrange(bucket.changes, '+', '-', 'COUNT', 2);
  } catch (error) {
    if (!isWrongTypeError(error)) {
      throw connection.failure(error, 'follow changes');
    }
    // Not a stream: the reader says so (naming the key) and answers as for an empty feed.
  }
  return (await readFeed(reader, bucket, { id: last[1]?.[0] ?? '0-0', added: 0 })).cursor;
}

/** One reply of the changes script (see scripts/readScripts.ts), read from `cursor`. */
function batchFrom(reply: unknown, cursor: FeedCursor): FeedRead {
  const [raw, oldest, added, expiredIds] = Array.isArray(reply) ? (reply as unknown[]) : [];
  const entries = listOf(raw).flatMap(entryFrom);
  const total = Number(added) || 0;
  const oldestEntry = listOf(oldest)[0];
  const oldestId = Array.isArray(oldestEntry) ? String(oldestEntry[0]) : undefined;
  const trimmed = cursor.id !== '0-0' && oldestId !== undefined && compareEntryIds(oldestId, cursor.id) > 0;
  return {
    entries,
    gap: total < cursor.added || trimmed,
    cursor: { id: entries.at(-1)?.id ?? cursor.id, added: total },
    expired: listOf(expiredIds).map(String),
  };
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function entryFrom(raw: unknown): FeedEntry[] {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1])) {
    return [];
  }
  const fields = new Map<string, string>();
  for (let index = 0; index + 1 < raw[1].length; index += 2) {
    fields.set(String(raw[1][index]), String(raw[1][index + 1]));
  }
  const kind = fields.get('k') ?? '';
  const sessionId = fields.get('s');
  if (!KINDS.has(kind) || !sessionId) {
    return []; // not an entry the store wrote: nothing to act on
  }
  return [{ id: raw[0], kind: kind as FeedEntry['kind'], sessionId, writer: fields.get('w') ?? '' }];
}

/** Orders stream ids (`<ms>-<seq>`) numerically. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}
