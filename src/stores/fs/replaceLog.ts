import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { appendToLog } from './appendLog';
import { replaceFileAtomically } from './atomicFile';
import { withFileLock } from './fileLock';

/**
 * Rewrites an append-only log (compaction, repair, rotation) without losing records that other
 * processes append meanwhile. Rewriters exclude each other with a lock; appenders take no lock.
 * After the new file is renamed into place, whatever reached the old file since we read it is
 * copied across; an appender that writes to the old file later notices the rename itself and
 * writes again (see appendToLog). Duplicated records are harmless: readers keep the first copy
 * of each record id.
 */
export async function replaceLog(path: string, rewrite: (current: Buffer) => string | Buffer): Promise<void> {
  await withFileLock(path, async () => {
    const fd = openSync(path, 'r');
    try {
      const current = readFrom(fd, 0);
      await replaceFileAtomically(path, rewrite(current));
      const late = readFrom(fd, current.length);
      const lastNewline = late.lastIndexOf(0x0a);
      if (lastNewline >= 0) {
        appendToLog(path, late.subarray(0, lastNewline + 1).toString('utf8'));
      }
    } finally {
      closeSync(fd);
    }
  });
}

export function readFrom(fd: number, offset: number): Buffer {
  const size = fstatSync(fd).size;
  const buffer = Buffer.alloc(Math.max(0, size - offset));
  let done = 0;
  while (done < buffer.length) {
    const read = readSync(fd, buffer, done, buffer.length - done, offset + done);
    if (read === 0) {
      break;
    }
    done += read;
  }
  return buffer.subarray(0, done);
}
