import { TORN_MARKER } from './appendLog';

/**
 * Splits a JSON-lines log into records, telling apart the three kinds of unreadable line:
 * an unterminated last line (a write that was cut off or is still landing: never acknowledged),
 * a torn line sealed by a later appender's marker (also never acknowledged), and anything else,
 * which is corruption to report.
 */
export interface LogRecord {
  line: number;
  value: unknown;
}

export interface ParsedLog {
  records: LogRecord[];
  /** 1-based line numbers of lines that are neither records nor a crash's known leftovers. */
  corruptLines: number[];
  /** Bytes up to the end of the last complete line; a later read continues from here. */
  completeBytes: number;
}

export function parseLog(buffer: Buffer): ParsedLog {
  const text = buffer.toString('utf8');
  const lastNewline = text.lastIndexOf('\n');
  const lines = text.split('\n');
  const unterminated = lines.pop() ?? '';
  const parsed: ParsedLog = { records: [], corruptLines: [], completeBytes: Buffer.byteLength(text.slice(0, lastNewline + 1)) };
  lines.forEach((line, index) => collectLine(parsed, lines, index));
  if (unterminated.trim().length > 0) {
    const value = tryParse(unterminated);
    if (value !== undefined) {
      parsed.records.push({ line: lines.length + 1, value });
    }
  }
  return parsed;
}

function collectLine(parsed: ParsedLog, lines: string[], index: number): void {
  const line = lines[index];
  if (line.trim().length === 0 || line === TORN_MARKER) {
    return;
  }
  const value = tryParse(line);
  if (value !== undefined) {
    parsed.records.push({ line: index + 1, value });
  } else if (lines[index + 1] !== TORN_MARKER) {
    parsed.corruptLines.push(index + 1);
  }
}

/** One line's JSON value, or undefined when it is not JSON. */
export function tryParse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
