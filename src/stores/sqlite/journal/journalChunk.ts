import { LineFilter, parseLog } from '../../fs/logLines';

// A journal read into records: each with its id, its line and its byte positions, so a reader can
// resume exactly where it stopped and tell a crash's torn tail from corruption.

export interface JournalEntry {
  /** 1-based line number within the chunk read (within the file when read from its start). */
  line: number;
  id: string;
  value: unknown;
  /** Byte offsets of the line in the file. */
  start: number;
  end: number;
}

export interface JournalChunk {
  ino: number;
  /** File size when read. */
  size: number;
  /** Where the chunk starts, and the end of its last complete line. */
  start: number;
  end: number;
  entries: JournalEntry[];
  /** Unparseable lines no crash explains, and lines that parse but carry no record id. */
  corruptLines: number[];
  /** Where each of those lines starts in the file. */
  corruptOffsets: number[];
}

/** What a missing journal reads as. */
export function emptyJournalChunk(): JournalChunk {
  return { ino: 0, size: 0, start: 0, end: 0, entries: [], corruptLines: [], corruptOffsets: [] };
}

/** A journal's content already in memory (a rewrite's input). */
export function parseJournalBuffer(buffer: Buffer): JournalChunk {
  return parseChunk(buffer, { ino: 0, size: buffer.length, start: 0 });
}

/** The chunk's records (those of the lines `keep` wants, when given: see parseLog). */
export function parseChunk(buffer: Buffer, at: { ino: number; size: number; start: number }, keep?: LineFilter): JournalChunk {
  const parsed = parseLog(buffer, keep);
  const lineStarts = completeLineStarts(buffer, parsed.completeBytes);
  const chunk: JournalChunk = { ...at, end: at.start + parsed.completeBytes, entries: [], corruptLines: [...parsed.corruptLines], corruptOffsets: [] };
  for (const record of parsed.records) {
    const id = recordId(record.value);
    if (id === undefined) {
      chunk.corruptLines.push(record.line);
      continue;
    }
    const start = at.start + lineStarts[record.line - 1];
    chunk.entries.push({ line: record.line, id, value: record.value, start, end: at.start + lineStarts[record.line] });
  }
  chunk.corruptLines.sort((a, b) => a - b);
  chunk.corruptOffsets = chunk.corruptLines.map((line) => at.start + lineStarts[line - 1]);
  return chunk;
}

/** Offsets where each complete line starts, plus the end of the last one. */
function completeLineStarts(buffer: Buffer, completeBytes: number): number[] {
  const starts = [0];
  let at = buffer.indexOf(0x0a);
  while (at >= 0 && at < completeBytes) {
    starts.push(at + 1);
    at = buffer.indexOf(0x0a, at + 1);
  }
  return starts;
}

/** A journal record's id, or undefined when it has none. */
export function recordId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** The `after` of a rotated journal's first line, or null when the journal was never rotated. */
export function journalHeader(chunk: JournalChunk): string | null {
  const first = chunk.start === 0 ? chunk.entries[0] : undefined;
  if (first === undefined || (first.value as { type?: unknown }).type !== 'rotated') {
    return null;
  }
  const after = (first.value as { after?: unknown }).after;
  return typeof after === 'string' ? after : null;
}

/**
 * Index of the entry after which to replay for a snapshot or sidecar covering `id` (-1: replay
 * everything), or undefined when the journal does not reach back that far.
 */
export function locateRecord(chunk: JournalChunk, id: string | null): number | undefined {
  const header = journalHeader(chunk);
  if (id === header) {
    return header === null ? -1 : 0;
  }
  const index = chunk.entries.findIndex((entry) => entry.id === id);
  return index >= 0 ? index : undefined;
}
