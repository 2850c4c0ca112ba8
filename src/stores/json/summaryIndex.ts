import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SessionSummary, idSchema, summarySchema } from '../../core/model';
import { replaceFileAtomically } from '../fs/atomicFile';
import { FileStamp } from './sessionFile';

/**
 * `index.json`: a cache of every session file's summary, keyed by the file's stamp (size, inode,
 * mtime), so opening a large store reads one file and stats the rest instead of parsing them all.
 * It is never the source of truth: an entry whose stamp no longer matches its file is ignored, and
 * a missing or unreadable index is simply rebuilt. Processes may overwrite each other's copy; the
 * stamp check makes that harmless.
 */
export const INDEX_FILE = 'index.json';
const INDEX_VERSION = 1;

export interface IndexEntry {
  stamp: FileStamp;
  /** null for a file that has no readable header, so it is not re-read while unchanged. */
  summary: SessionSummary | null;
}

const entrySchema = z.strictObject({
  size: z.number().int().min(0),
  ino: z.number().min(0),
  mtimeMs: z.number(),
  summary: summarySchema.nullable(),
});

const indexSchema = z.strictObject({
  version: z.literal(INDEX_VERSION),
  sessions: z.record(idSchema, entrySchema),
});

export type IndexReadResult =
  | { status: 'missing' | 'unreadable'; entries: Map<string, IndexEntry> }
  | { status: 'ok'; entries: Map<string, IndexEntry> };

export function readSummaryIndex(path: string): IndexReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { status: 'missing', entries: new Map() };
    }
    throw error;
  }
  const entries = parseSummaryIndex(text);
  return entries ? { status: 'ok', entries } : { status: 'unreadable', entries: new Map() };
}

/** The entries of an index file, or undefined when it is not one (hand edit, bad merge, garbage). */
export function parseSummaryIndex(text: string): Map<string, IndexEntry> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = indexSchema.safeParse(value);
  if (!parsed.success) {
    return undefined;
  }
  const entries = new Map<string, IndexEntry>();
  for (const [id, { summary, ...stamp }] of Object.entries(parsed.data.sessions)) {
    if (summary && summary.id !== id) {
      return undefined;
    }
    entries.set(id, { stamp, summary });
  }
  return entries;
}

/** One session per line, sorted by id, so the file reads and diffs well. */
export function serializeSummaryIndex(entries: ReadonlyMap<string, IndexEntry>): string {
  const lines = [...entries]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, { stamp, summary }]) => `${JSON.stringify(id)}:${JSON.stringify({ ...stamp, summary })}`);
  return `{"version":${INDEX_VERSION},"sessions":{\n${lines.join(',\n')}\n}}\n`;
}

export async function writeSummaryIndex(path: string, entries: ReadonlyMap<string, IndexEntry>): Promise<void> {
  await replaceFileAtomically(path, serializeSummaryIndex(entries));
}
