import { ID_PATTERN } from '../../../core/ids';
import { SessionSummary, summarySchema } from '../../../core/model';

// The sidecar's rows: one compact array per session summary, and their validation when read
// (the file is untrusted), fast enough for a fresh process's open.

type SummaryRow = [string, string, string, string, string[], boolean, string, number, string, boolean];
const ROW_LENGTH = 10;

export function encodeRow(summary: SessionSummary): SummaryRow {
  const { id, title, createdAt, updatedAt, tags, pinned, source, messageCount, lastMessageAt, untitled } = summary;
  return [id, title, createdAt, updatedAt, tags, pinned, source, messageCount, lastMessageAt, untitled];
}

/**
 * Zod's per-object parse costs ~130 ms for 10,000 summaries in a cold process, most of the fast
 * open's budget. So the rows are first checked in bulk by rules stricter than summarySchema
 * (canonical timestamps, pre-trimmed titles): cheap type checks per row, and one regular
 * expression over all ids, all timestamps and all tags at once. Only if that fails does zod
 * judge each row.
 */
export function decodeRows(rows: readonly unknown[]): SessionSummary[] | undefined {
  const candidates = rows.map(rowToObject);
  if (candidates.every(hasPlainFields) && matchesInBulk(candidates as SessionSummary[])) {
    return candidates as SessionSummary[];
  }
  const parsed = candidates.map((candidate) => summarySchema.safeParse(candidate));
  return parsed.every((result) => result.success) ? parsed.map((result) => result.data) : undefined;
}

function rowToObject(row: unknown): Record<keyof SessionSummary, unknown> | undefined {
  if (!Array.isArray(row) || row.length !== ROW_LENGTH) {
    return undefined;
  }
  const [id, title, createdAt, updatedAt, tags, pinned, source, messageCount, lastMessageAt, untitled] = row as unknown[];
  return { id, title, createdAt, updatedAt, tags, pinned, source, messageCount, lastMessageAt, untitled };
}

function hasPlainFields(value: Record<keyof SessionSummary, unknown> | undefined): boolean {
  return (
    value !== undefined &&
    isTrimmedTitle(value.title) &&
    Array.isArray(value.tags) &&
    value.tags.length <= 100 &&
    typeof value.pinned === 'boolean' &&
    typeof value.untitled === 'boolean' &&
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
    everyMatches(summaries.flatMap((summary) => [summary.createdAt, summary.updatedAt, summary.lastMessageAt]), TIMESTAMP) &&
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
