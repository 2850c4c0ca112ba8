import { closeSync, constants, fdatasyncSync, fstatSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { startsLine } from './readBytes';
import { shortWriteError } from './writeFully';
import { isMissing } from './ioErrors';

// Durable appends to a line-oriented log that several processes may append to at once.
//
// Each call is one write(2) on a file opened with O_APPEND, so concurrent appenders never
// interleave within a record and the file order is the one order everyone applies. A crash can
// leave a torn last line; the next appender starts on a fresh line, after a marker line, so the torn bytes
// stay a single unparseable line that readers know to skip (it was never acknowledged). A log may be replaced by
// `replaceLog`; an appender that finds the path now names another file writes its records again
// to the new one — records carry ids, and readers keep the first copy.
//
// A write(2) that comes back short (a full disk writes what fits) is a failure, not something to
// finish with a second write: another process may append in between, and the two halves would
// enclose its record. The partial bytes are left as they are, exactly like a crash's torn line —
// unterminated, so no reader takes them for a record — and the next appender seals them.

const MAX_ATTEMPTS = 5;

/** Written after a torn line, so readers can tell a crash's leftovers from corruption. */
export const TORN_MARKER = '{"type":"torn-write-above"}';

export interface AppendOutcome {
  /** File size right after our write, and the size just before it when nobody else wrote between. */
  sizeAfter: number;
  ino: number;
}

export class MissingLogError extends Error {}

export function appendToLog(path: string, text: string, options: { create?: boolean } = {}): AppendOutcome {
  const flags = constants.O_RDWR | constants.O_APPEND | (options.create ? constants.O_CREAT : 0);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const fd = openLog(path, flags);
    try {
      const before = fstatSync(fd);
      const prefix = !startsLine(fd, before.size) ? `\n${TORN_MARKER}\n` : '';
      const bytes = Buffer.from(prefix + text);
      const written = writeSync(fd, bytes);
      if (written < bytes.length) {
        throw shortWriteError(dirname(path), written, bytes.length);
      }
      fdatasyncSync(fd);
      const after = fstatSync(fd);
      if (stillNamedBy(path, after.ino)) {
        return { sizeAfter: after.size, ino: after.ino };
      }
    } finally {
      closeSync(fd);
    }
  }
  throw new Error(`could not append to ${path}: it kept being replaced`);
}

function openLog(path: string, flags: number): number {
  try {
    return openSync(path, flags, 0o644);
  } catch (error) {
    if (isMissing(error)) {
      throw new MissingLogError(`${path} does not exist`);
    }
    throw error;
  }
}

function stillNamedBy(path: string, ino: number): boolean {
  try {
    return statSync(path).ino === ino;
  } catch (error) {
    if (isMissing(error)) {
      throw new MissingLogError(`${path} was removed while appending`);
    }
    throw error;
  }
}
