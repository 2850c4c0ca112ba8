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
// 2 added lastMessageAt and untitled to the rows, 3 each session's version (lastOps): an older
// sidecar is rebuilt from the database.
const VERSION = 3;

const sidecarSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  mark: journalMarkSchema,
  recent: z.array(idSchema).max(1_000),
  // Rows are checked one by one below; z.array() alone would cost ~10 ms here.
  rows: z.custom<unknown[]>((value) => Array.isArray(value)),
  // One per row: the session's sessions.last_op, which search compares before the database loads.
  lastOps: z.custom<string[]>((value) => Array.isArray(value) && value.every((op) => typeof op === 'string' && op.length <= 64)),
});

export interface Sidecar {
  mark: JournalMark;
  /** Ids of the journal records just before the mark (see JournalCursor.fromMark). */
  recent: readonly string[];
  summaries: SessionSummary[];
  /** Each session's version (sessions.last_op) by id. */
  versions: ReadonlyMap<string, string>;
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
    if (!summaries || envelope.lastOps.length !== summaries.length) {
      return { ok: false, problem: 'holds an invalid summary' };
    }
    const versions = new Map(summaries.map((summary, row) => [summary.id, envelope.lastOps[row]]));
    return { ok: true, sidecar: { mark: envelope.mark, recent: envelope.recent, summaries, versions } };
  } catch {
    return { ok: false, problem: 'is not a valid summaries file' };
  }
}

export async function writeSidecar(path: string, sidecar: Sidecar): Promise<void> {
  const rows = sidecar.summaries.map(encodeRow);
  const lastOps = sidecar.summaries.map((summary) => sidecar.versions.get(summary.id) ?? '');
  await replaceFileAtomically(path, JSON.stringify({ format: FORMAT, version: VERSION, mark: sidecar.mark, recent: sidecar.recent, rows, lastOps }));
}
