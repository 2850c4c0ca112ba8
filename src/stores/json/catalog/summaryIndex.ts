import { readFileSync } from 'node:fs';
import { isValidId } from '../../../core/ids';
import { SessionSummary, compareSummaries } from '../../../core/model';
import { replaceFileAtomically } from '../../fs/atomicFile';
import { FileStamp } from '../files/fileStamp';
import { isMissing } from '../../fs/ioErrors';

// `index.json`: a cache of every session file's summary, keyed by the file's stamp (size, inode,
// mtime), so opening a large store reads one file and stats the rest instead of parsing them all.
// It is never the source of truth: an entry whose stamp no longer matches its file is ignored, and
// a missing or unreadable index is simply rebuilt. Processes may overwrite each other's copy; the
// stamp check makes that harmless.
//
// Entries are compact arrays in list order (it parses fastest and sorts in one pass). On load only
// their shape is checked, by hand because a schema library costs more than the whole rest of an
// open: an entry is used only while its stamp — inode and mtime included — matches a file on this
// machine, which means a store here wrote it from a file it had validated with the record
// schemas. An index copied from elsewhere (a clone, a merge) never matches.

export const INDEX_FILE = 'index.json';
// 3 added lastMessageAt and untitled: an index of version 2 is rebuilt from the files.
const INDEX_VERSION = 3;

export interface IndexEntry {
  stamp: FileStamp;
  /** null for a file that has no readable header, so it is not re-read while unchanged. */
  summary: SessionSummary | null;
}

type SummaryRow = [
  title: string,
  createdAt: string,
  updatedAt: string,
  tags: string[],
  pinned: boolean,
  source: string,
  messageCount: number,
  lastMessageAt: string,
  untitled: boolean,
];
type EntryRow = [id: string, size: number, ino: number, mtimeMs: number, summary: SummaryRow | null];

/** `outdated`: written by an earlier version, to be rebuilt like a missing one (no problem). */
export type IndexReadResult = { status: 'missing' | 'outdated' | 'unreadable' | 'ok'; entries: Map<string, IndexEntry> };

export function readSummaryIndex(path: string): IndexReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) {
      return { status: 'missing', entries: new Map() };
    }
    throw error;
  }
  const entries = parseSummaryIndex(text);
  if (entries === 'outdated') {
    return { status: 'outdated', entries: new Map() };
  }
  return entries ? { status: 'ok', entries } : { status: 'unreadable', entries: new Map() };
}

/**
 * The entries of an index file; `outdated` for one of an earlier version, undefined when it is
 * not one (hand edit, bad merge, garbage).
 */
export function parseSummaryIndex(text: string): Map<string, IndexEntry> | 'outdated' | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (isObject(value) && typeof value.version === 'number' && value.version < INDEX_VERSION) {
    return 'outdated';
  }
  if (!isObject(value) || value.version !== INDEX_VERSION || !Array.isArray(value.sessions)) {
    return undefined;
  }
  const entries = new Map<string, IndexEntry>();
  for (const row of value.sessions as unknown[]) {
    if (!isEntryRow(row)) {
      return undefined;
    }
    entries.set(row[0], entryOf(row));
  }
  return entries;
}

const SUMMARY_ROW_TYPES = ['string', 'string', 'string', 'object', 'boolean', 'string', 'number', 'string', 'boolean'];

function isEntryRow(value: unknown): value is EntryRow {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    typeof value[0] === 'string' &&
    isValidId(value[0]) &&
    typeof value[1] === 'number' &&
    typeof value[2] === 'number' &&
    typeof value[3] === 'number' &&
    (value[4] === null || isSummaryRow(value[4]))
  );
}

function isSummaryRow(value: unknown): value is SummaryRow {
  if (!Array.isArray(value) || value.length !== SUMMARY_ROW_TYPES.length || !Array.isArray(value[3])) {
    return false;
  }
  for (let i = 0; i < SUMMARY_ROW_TYPES.length; i++) {
    if (typeof value[i] !== SUMMARY_ROW_TYPES[i]) {
      return false;
    }
  }
  return (value[3] as unknown[]).every((tag) => typeof tag === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// Indexed, not destructured: array destructuring goes through iterators, slow in code this cold.
function entryOf(entry: EntryRow): IndexEntry {
  const stamp = { size: entry[1], ino: entry[2], mtimeMs: entry[3] };
  const row = entry[4];
  if (!row) {
    return { stamp, summary: null };
  }
  return {
    stamp,
    summary: {
      id: entry[0],
      title: row[0],
      createdAt: row[1],
      updatedAt: row[2],
      lastMessageAt: row[7],
      untitled: row[8],
      tags: row[3],
      pinned: row[4],
      source: row[5],
      messageCount: row[6],
    },
  };
}

/** One session per line, in list order, unreadable files last. */
export function serializeSummaryIndex(entries: ReadonlyMap<string, IndexEntry>): string {
  const ordered = [...entries].sort(([, a], [, b]) => compareEntries(a, b));
  const lines = ordered.map(([id, { stamp, summary }]) => JSON.stringify([id, stamp.size, stamp.ino, stamp.mtimeMs, summary && rowOf(summary)]));
  return `{"version":${INDEX_VERSION},"sessions":[\n${lines.join(',\n')}\n]}\n`;
}

function rowOf(summary: SessionSummary): SummaryRow {
  const { title, createdAt, updatedAt, tags, pinned, source, messageCount, lastMessageAt, untitled } = summary;
  return [title, createdAt, updatedAt, tags, pinned, source, messageCount, lastMessageAt, untitled];
}

function compareEntries(a: IndexEntry, b: IndexEntry): number {
  if (a.summary && b.summary) {
    return compareSummaries(a.summary, b.summary);
  }
  return (a.summary ? 0 : 1) - (b.summary ? 0 : 1);
}

export async function writeSummaryIndex(path: string, entries: ReadonlyMap<string, IndexEntry>): Promise<void> {
  await replaceFileAtomically(path, serializeSummaryIndex(entries));
}
