import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ID_PATTERN } from '../../../core/ids';
import { SessionSummary, idSchema, summarySchema } from '../../../core/model';
import { replaceFileAtomically } from '../../fs/atomicFile';
import { JournalMark, journalMarkSchema } from '../journal/journalRecords';

/**
 * The summaries sidecar: every session's summary as of a journal mark, written atomically after
 * snapshots (and now and then in between), so that a fresh process lists sessions by reading
 * this small file and folding the journal records after the mark, long before the database has
 * loaded. It is derived data: when missing or unreadable it is rebuilt from the database.
 */
const FORMAT = 'multichat-sqlite-summaries';

type SummaryRow = [string, string, string, string, string[], boolean, string, number];

const sidecarSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
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
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
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
  await replaceFileAtomically(path, JSON.stringify({ format: FORMAT, version: 1, mark: sidecar.mark, recent: sidecar.recent, rows }));
}

function encodeRow(summary: SessionSummary): SummaryRow {
  const { id, title, createdAt, updatedAt, tags, pinned, source, messageCount } = summary;
  return [id, title, createdAt, updatedAt, tags, pinned, source, messageCount];
}

/**
 * Zod's per-object parse costs ~130 ms for 10,000 summaries in a cold process, most of the fast
 * open's budget. So the rows are first checked in bulk by rules stricter than summarySchema
 * (canonical timestamps, pre-trimmed titles): cheap type checks per row, and one regular
 * expression over all ids, all timestamps and all tags at once. Only if that fails does zod
 * judge each row.
 */
function decodeRows(rows: readonly unknown[]): SessionSummary[] | undefined {
  const candidates = rows.map(rowToObject);
  if (candidates.every(hasPlainFields) && matchesInBulk(candidates as SessionSummary[])) {
    return candidates as SessionSummary[];
  }
  const parsed = candidates.map((candidate) => summarySchema.safeParse(candidate));
  return parsed.every((result) => result.success) ? parsed.map((result) => result.data) : undefined;
}

function rowToObject(row: unknown): Record<keyof SessionSummary, unknown> | undefined {
  if (!Array.isArray(row) || row.length !== 8) {
    return undefined;
  }
  const [id, title, createdAt, updatedAt, tags, pinned, source, messageCount] = row as unknown[];
  return { id, title, createdAt, updatedAt, tags, pinned, source, messageCount };
}

function hasPlainFields(value: Record<keyof SessionSummary, unknown> | undefined): boolean {
  return (
    value !== undefined &&
    isTrimmedTitle(value.title) &&
    Array.isArray(value.tags) &&
    value.tags.length <= 100 &&
    typeof value.pinned === 'boolean' &&
    isText(value.source, 100) &&
    isCount(value.messageCount)
  );
}

function isTrimmedTitle(value: unknown): boolean {
  return isText(value, 500) && value.length > 0 && value.trim() === value;
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

const ID = ID_PATTERN.source.slice(1, -1);
const TAG = '[^\\s,]{1,100}';
const DATE =
  '(?:\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))' +
  '|(?:\\d\\d(?:[2468][048]|[13579][26]|0[48])|(?:[02468][048]|[13579][26])00)-02-29)';
const TIMESTAMP = `${DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z`;

function matchesInBulk(summaries: readonly SessionSummary[]): boolean {
  return (
    everyMatches(summaries.map((summary) => summary.id), ID) &&
    everyMatches(summaries.flatMap((summary) => [summary.createdAt, summary.updatedAt]), TIMESTAMP) &&
    everyMatches(summaries.flatMap((summary) => summary.tags), TAG)
  );
}

/** Each value, a string, matches `pattern` whole; `{n}` also rules out line breaks inside one. */
function everyMatches(values: readonly unknown[], pattern: string): boolean {
  if (values.length === 0) {
    return true;
  }
  if (!values.every((value) => typeof value === 'string')) {
    return false;
  }
  return new RegExp(`^(?:${pattern}\\n){${values.length}}$`).test(`${values.join('\n')}\n`);
}
