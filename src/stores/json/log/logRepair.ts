import { isDeepStrictEqual } from 'node:util';
import { Message, Session } from '../../../core/model';
import { LogRecord, parseLog } from '../../fs/logLines';
import { ParsedRecord, messageRecord, parseRecord, toLines } from './records';
import { emptyFold, foldRecords } from './sessionFold';

// Rewrites of a session log, for replaceLog: repair (keep only valid records) and compaction
// (fold superseded message versions and order records away). Both keep each record id once, and
// keep an unterminated last line byte for byte: it may be a crash's leftover, or a record still
// landing whose rest replaceLog copies across after the rename.

export interface RepairedLog {
  bytes: Buffer;
  kept: number;
  dropped: number;
}

type ValidRecord = Extract<ParsedRecord, { ok: true }>;

export function keepValidRecords(bytes: Buffer): RepairedLog {
  const { records, corrupt, tail } = readCompleteLines(bytes);
  const valid = firstCopies(records);
  const kept = valid.map(({ record }) => record);
  return { bytes: Buffer.concat([Buffer.from(toLines(kept)), tail]), kept: kept.length, dropped: corrupt + records.length - valid.length };
}

/**
 * The compacted log, or undefined when it has problems (those are for verify and repair) or when
 * the compacted records would not fold to the same session (see compactedRecords).
 */
export function compactRecords(bytes: Buffer): Buffer | undefined {
  const { records, corrupt, tail } = readCompleteLines(bytes);
  const fold = emptyFold();
  foldRecords(fold, records, 0);
  if (corrupt > 0 || fold.problems.length > 0 || !fold.session) {
    return undefined;
  }
  const compacted = toLines(compactedRecords(firstCopies(records), fold.session.messages));
  return foldsTo(compacted, fold.session) ? Buffer.concat([Buffer.from(compacted), tail]) : undefined;
}

/**
 * The header, updates and names as they were; edits and order records folded away. Each message
 * record gives way to the latest version of its message; if reorders moved messages, all of them,
 * in folded order, take the place of the last message record instead. Moving earlier messages
 * past updates keeps updatedAt (an update's time is at least every message time before it) unless
 * an update set an earlier time explicitly (an import): foldsTo catches that.
 */
function compactedRecords(valid: readonly ValidRecord[], messages: readonly Message[]): object[] {
  const slots = valid.flatMap(({ kind, record }, index) => (kind === 'body' && record.type === 'message' ? [index] : []));
  const inPlace = slots.every((slot, position) => valid[slot].record.id === messages[position]?.id);
  const placed = new Map<number | undefined, readonly Message[]>(
    inPlace ? slots.map((slot, position) => [slot, [messages[position]]]) : [[slots[slots.length - 1], messages]],
  );
  return valid.flatMap(({ kind, record }, index) =>
    kind === 'header' || record.type === 'update' || record.type === 'name' ? [record] : (placed.get(index) ?? []).map(messageRecord),
  );
}

/** Whether the log text folds to exactly this session. */
function foldsTo(text: string, session: Session): boolean {
  const fold = emptyFold();
  foldRecords(fold, parseLog(Buffer.from(text)).records, 0);
  return fold.problems.length === 0 && isDeepStrictEqual(fold.session, session);
}

function readCompleteLines(bytes: Buffer): { records: LogRecord[]; corrupt: number; tail: Buffer } {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const parsed = parseLog(bytes.subarray(0, end));
  return { records: parsed.records, corrupt: parsed.corruptLines.length, tail: bytes.subarray(end) };
}

function firstCopies(records: readonly LogRecord[]): ValidRecord[] {
  const ids = new Set<string>();
  const valid: ValidRecord[] = [];
  for (const { line, value } of records) {
    const parsed = parseRecord(value, line);
    if (!parsed.ok || (parsed.kind === 'body' && ids.has(parsed.record.id))) {
      continue;
    }
    if (parsed.kind === 'body') {
      ids.add(parsed.record.id);
    }
    valid.push(parsed);
  }
  return valid;
}
