import { LogRecord, parseLog } from '../../fs/logLines';
import { ParsedRecord, messageRecord, parseRecord, toLines } from './records';
import { emptyFold, foldRecords } from './sessionFold';

// Rewrites of a session log, for replaceLog: repair (keep only valid records) and compaction
// (fold superseded message versions away). Both keep each record id once, in file order, and
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

/** The compacted log, or undefined when it has problems (those are for verify and repair). */
export function compactRecords(bytes: Buffer): Buffer | undefined {
  const { records, corrupt, tail } = readCompleteLines(bytes);
  const fold = emptyFold();
  foldRecords(fold, records, 0);
  if (corrupt > 0 || fold.problems.length > 0 || !fold.session) {
    return undefined;
  }
  const kept = firstCopies(records).flatMap(({ kind, record }) => {
    if (kind === 'header' || record.type === 'update' || record.type === 'name') {
      return [record];
    }
    const latest = record.type === 'message' ? fold.messages.get(record.id) : undefined;
    return latest ? [messageRecord(latest)] : [];
  });
  return Buffer.concat([Buffer.from(toLines(kept)), tail]);
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
