import { fstatSync, openSync, readSync } from 'node:fs';
import { isMissing } from './ioErrors';

// Reading pieces of files that other processes may be appending to or removing.

/** A read-only descriptor, or undefined when the file does not exist (deleted or not yet created). */
export function openForReadingIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}

/** Reads [start, end), fewer bytes only if the file is shorter; what appenders add meanwhile is not read. */
export function readRange(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.allocUnsafe(Math.max(0, end - start));
  let done = 0;
  while (done < buffer.length) {
    const read = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (read === 0) {
      break;
    }
    done += read;
  }
  return buffer.subarray(0, done);
}

/** From `offset` to the file's current end. */
export function readFrom(fd: number, offset: number): Buffer {
  return readRange(fd, offset, fstatSync(fd).size);
}

/** Whether the byte before `position` is a line break (true at the start of the file). */
export function startsLine(fd: number, position: number): boolean {
  if (position === 0) {
    return true;
  }
  const byte = Buffer.alloc(1);
  return readSync(fd, byte, 0, 1, position - 1) === 1 && byte[0] === 0x0a;
}
