import { closeSync, fstatSync, readFileSync, readSync } from 'node:fs';
import { AppendOutcome, appendToLog } from '../../fs/appendLog';
import { openForReadingIfExists, readFrom, readRange, startsLine } from '../../fs/readBytes';
import { LineFilter, tryParse } from '../../fs/logLines';
import { JournalChunk, emptyJournalChunk, parseChunk, recordId } from './journalChunk';
import { JournalMark, JournalRecord, serializeRecord } from './journalRecords';
import { isMissing } from '../../fs/ioErrors';

// Reading and appending the journal file. Appends are one O_APPEND write + fdatasync each (see
// appendLog.ts); reads return the records of whole lines only (see journalChunk.ts).

export function appendRecords(path: string, records: readonly JournalRecord[]): AppendOutcome {
  return appendToLog(path, records.map(serializeRecord).join(''), { create: true });
}

/** Whether the journal holds a record with this id (a plain byte search: ids are unique). */
export function journalHolds(path: string, id: string): boolean {
  try {
    return readFileSync(path).includes(`"id":"${id}"`);
  } catch (error) {
    if (isMissing(error)) {
      return false;
    }
    throw error;
  }
}

/** The journal from `from` on (the lines `keep` wants, when given); a missing journal reads as empty. */
export function readJournal(path: string, from = 0, keep?: LineFilter): JournalChunk {
  const fd = openForReadingIfExists(path);
  if (fd === undefined) {
    return emptyJournalChunk();
  }
  try {
    const { ino, size } = fstatSync(fd);
    return parseChunk(size > from ? readFrom(fd, from) : Buffer.alloc(0), { ino, size, start: from }, keep);
  } finally {
    closeSync(fd);
  }
}

/**
 * What was appended since `offset` of journal `ino`; the whole journal when it has been replaced
 * (rotated, repaired, recreated) or has shrunk since. Cheap when nothing changed: one fstat.
 */
export function readJournalSince(path: string, ino: number, offset: number): JournalChunk {
  const fd = openForReadingIfExists(path);
  if (fd === undefined) {
    return emptyJournalChunk();
  }
  try {
    const stat = fstatSync(fd);
    const from = stat.ino === ino && stat.size >= offset ? offset : 0;
    const buffer = stat.size > from ? readFrom(fd, from) : Buffer.alloc(0);
    return parseChunk(buffer, { ino: stat.ino, size: stat.size, start: from });
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads from a mark's offset when the journal is still the file the mark was taken in (same
 * inode, and the mark's record still starts where the mark says), sparing a fast open the
 * journal's older part. Undefined when the mark no longer fits.
 */
export function readJournalAfterMark(path: string, mark: JournalMark, keep?: LineFilter): JournalChunk | undefined {
  const fd = openForReadingIfExists(path);
  if (fd === undefined) {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.ino !== mark.ino || stat.size < mark.offset || !markFits(fd, mark)) {
      return undefined;
    }
    return parseChunk(readFrom(fd, mark.offset), { ino: stat.ino, size: stat.size, start: mark.offset }, keep);
  } finally {
    closeSync(fd);
  }
}

function markFits(fd: number, mark: JournalMark): boolean {
  if (mark.id === null) {
    return mark.offset === 0;
  }
  const expected = Buffer.from(`"id":"${mark.id}"`);
  const head = Buffer.alloc(Math.min(expected.length + 40, mark.offset - mark.lineStart));
  readSync(fd, head, 0, head.length, mark.lineStart);
  return head.indexOf(expected) >= 0 && startsLine(fd, mark.lineStart);
}

/**
 * What follows record `id`, found by a byte search from the end (ids are unique; a mark is
 * usually near the end) and checked to be that record's own line: for a mark taken in a journal
 * since rotated, whose records were carried into this one at other offsets. Only the part from
 * that line on is read. Undefined when the journal does not hold it.
 */
export function readJournalAfterRecord(path: string, id: string, keep?: LineFilter): JournalChunk | undefined {
  const fd = openForReadingIfExists(path);
  if (fd === undefined) {
    return undefined;
  }
  try {
    const { ino, size } = fstatSync(fd);
    const at = lastOffsetOf(fd, size, Buffer.from(`"id":"${id}"`));
    const lineStart = at < 0 ? -1 : lastOffsetOf(fd, at, Buffer.from('\n')) + 1;
    const bytes = lineStart < 0 ? Buffer.alloc(0) : readFrom(fd, lineStart);
    const lineEnd = bytes.indexOf(0x0a) + 1;
    if (lineEnd <= 0 || recordId(tryParse(bytes.toString('utf8', 0, lineEnd - 1))) !== id) {
      return undefined;
    }
    return parseChunk(bytes.subarray(lineEnd), { ino, size, start: lineStart + lineEnd }, keep);
  } finally {
    closeSync(fd);
  }
}

/** Where `needle` last occurs before `end` in the file, read backwards a block at a time; -1 if nowhere. */
function lastOffsetOf(fd: number, end: number, needle: Buffer): number {
  const block = 1 << 20;
  for (let until = end; until > 0; until = Math.max(0, until - block)) {
    const from = Math.max(0, until - block);
    const bytes = readRange(fd, from, Math.min(end, until + needle.length - 1));
    const at = bytes.lastIndexOf(needle);
    if (at >= 0) {
      return from + at;
    }
  }
  return -1;
}
