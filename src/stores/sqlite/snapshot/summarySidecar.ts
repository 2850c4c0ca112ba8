import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SessionSummary, idSchema } from '../../../core/model';
import { replaceFileAtomically } from '../../fs/atomicFile';
import { JournalMark, journalMarkSchema } from '../journal/journalRecords';
import { decodeRows, encodeRow } from './sidecarRows';
import { isMissing } from '../../fs/ioErrors';

// The summaries sidecar: every session's summary as of a journal mark, written atomically after
// snapshots (and now and then in between), so that a fresh process lists sessions by reading
// this small file and folding the journal records after the mark, long before the database has
// loaded. It is derived data: when missing or unreadable it is rebuilt from the database.

const FORMAT = 'multichat-sqlite-summaries';
// 2 added lastMessageAt and untitled to the rows: a version 1 sidecar is rebuilt from the database.
const VERSION = 2;

const sidecarSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  mark: journalMarkSchema,
  recent: z.array(idSchema).max(1_000),
  // Rows are checked one by one below; z.array() alone would cost ~10 ms here.
  rows: z.custom<unknown[]>((value) => Array.isArray(value)),
});

export interface Sidecar {
  mark: JournalMark;
  /** Ids of the journal records just before the mark (see JournalCursor.fromMark). */
  recent: readonly string[];
  summaries: SessionSummary[];
}

export type SidecarRead = { ok: true; sidecar: Sidecar } | { ok: false; problem: string };

export function readSidecar(path: string): SidecarRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = isMissing(error);
    return { ok: false, problem: missing ? 'missing' : `unreadable: ${(error as Error).message}` };
  }
  try {
    const envelope = sidecarSchema.parse(JSON.parse(text));
    const summaries = decodeRows(envelope.rows);
    return summaries ? { ok: true, sidecar: { mark: envelope.mark, recent: envelope.recent, summaries } } : { ok: false, problem: 'holds an invalid summary' };
  } catch {
    return { ok: false, problem: 'is not a valid summaries file' };
  }
}

export async function writeSidecar(path: string, sidecar: Sidecar): Promise<void> {
  const rows = sidecar.summaries.map(encodeRow);
  await replaceFileAtomically(path, JSON.stringify({ format: FORMAT, version: VERSION, mark: sidecar.mark, recent: sidecar.recent, rows }));
}
