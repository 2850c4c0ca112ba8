import { TORN_MARKER } from './appendLog';

// Splits a JSON-lines log into records, telling apart the three kinds of unreadable line:
// an unterminated last line (a write that was cut off or is still landing: never acknowledged),
// a torn line sealed by a later appender's marker (also never acknowledged), and anything else,
// which is corruption to report.
//
// A record is acknowledged only once its whole line, line break included, is on disk. So an
// unterminated last line is never a record, even when it parses (a write cut short by a full
// disk may end just before its line break), and neither is a line the marker seals as torn.

export interface LogRecord {
  line: number;
  /** Where the line starts, in bytes from the start of what was parsed. */
  offset: number;
  value: unknown;
}

export interface ParsedLog {
  records: LogRecord[];
  /** 1-based line numbers of lines that are neither records nor a crash's known leftovers. */
  corruptLines: number[];
  /** Bytes up to the end of the last complete line; a later read continues from here. */
  completeBytes: number;
}

/** Whether to parse a line (its text, its 0-based index); lines left out are neither records nor corrupt. */
export type LineFilter = (line: string, index: number) => boolean;

export function parseLog(buffer: Buffer, keep?: LineFilter): ParsedLog {
  const completeBytes = buffer.lastIndexOf(0x0a) + 1;
  // Every line, the unterminated tail last (empty when the buffer ends on a line break).
  const lines = buffer.toString('utf8').split('\n');
  const parsed: ParsedLog = { records: [], corruptLines: [], completeBytes };
  // Lines are found in the bytes too: a line break is one byte in UTF-8, and never part of another
  // character, so the n-th line of the text starts after the (n-1)-th 0x0a even where bytes do not decode.
  for (let index = 0, offset = 0; index < lines.length - 1; index++, offset = buffer.indexOf(0x0a, offset) + 1) {
    if (!keep || keep(lines[index], index)) {
      collectLine(parsed, lines, index, offset);
    }
  }
  return parsed;
}

function collectLine(parsed: ParsedLog, lines: string[], index: number, offset: number): void {
  const line = lines[index];
  const next = lines[index + 1];
  if (line.trim().length === 0 || line === TORN_MARKER || next === TORN_MARKER) {
    return;
  }
  const value = tryParse(line);
  if (value !== undefined) {
    parsed.records.push({ line: index + 1, offset, value });
  } else if (!isSealBeingWritten(lines, index + 1)) {
    parsed.corruptLines.push(index + 1);
  }
}

/** The unterminated last line is the start of a marker: a seal still landing (or cut short), not corruption above it. */
function isSealBeingWritten(lines: readonly string[], index: number): boolean {
  const line = lines[index];
  return index === lines.length - 1 && line.length > 0 && TORN_MARKER.startsWith(line);
}

/** One line's JSON value, or undefined when it is not JSON. */
export function tryParse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
