import { ID_PATTERN } from '../../core/ids';
import { SessionSummary } from '../../core/model';

// Validating a summary with zod (summarySchema) costs ~7 µs in a fresh process, and a cold
// `multichat list` validates every summary in the namespace: ~70 ms of it at 10,000. Nearly all
// of them are as the store's own scripts write them, so this checks that plain shape with plain
// code first. It only ever accepts a subset of what summarySchema accepts unchanged (no title or
// tag that summarySchema would trim, timestamps only as toISOString writes them), and builds the
// same object summarySchema would; anything else, valid or not, is left to summarySchema
// (parseSummary), which decides and says why. A test holds the two to that.

/** Summaries are ~300 bytes; parseSummary's own limit is far above this one. */
const MAX_PLAIN_BYTES = 8 * 1024;
const TIMESTAMP = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TAG = /^[^\s,]{1,100}$/;

/** The calendar's days too (the Gregorian leap years, as summarySchema's pattern has them). */
function isTimestamp(value: unknown): boolean {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0);
}

const isBoolean = (value: unknown): boolean => typeof value === 'boolean';

/** Each field of a summary, in summarySchema's order, and what plainly valid means for it. */
const FIELDS: Record<keyof SessionSummary, (value: unknown) => boolean> = {
  id: (value) => typeof value === 'string' && ID_PATTERN.test(value),
  title: (value) => typeof value === 'string' && value.length >= 1 && value.length <= 500 && value.trim() === value,
  createdAt: isTimestamp,
  updatedAt: isTimestamp,
  lastMessageAt: isTimestamp,
  untitled: isBoolean,
  tags: (value) => Array.isArray(value) && value.length <= 100 && value.every((tag) => typeof tag === 'string' && TAG.test(tag)),
  pinned: isBoolean,
  source: (value) => typeof value === 'string' && value.length <= 100,
  messageCount: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
};
const KEYS = Object.keys(FIELDS) as (keyof SessionSummary)[];

/** The summary `raw` holds when it is plainly valid and of session `expectedId`; otherwise undefined (ask parseSummary). */
export function plainSummary(raw: unknown, expectedId: string): SessionSummary | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_PLAIN_BYTES) {
    return undefined;
  }
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  return isPlain(value, expectedId) ? (Object.fromEntries(KEYS.map((key) => [key, value[key]])) as SessionSummary) : undefined;
}

function isPlain(value: Record<string, unknown>, expectedId: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === KEYS.length &&
    value.id === expectedId &&
    KEYS.every((key) => FIELDS[key](value[key]))
  );
}
