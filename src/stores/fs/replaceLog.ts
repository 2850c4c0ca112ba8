import { closeSync, existsSync, fstatSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { appendToLog } from './appendLog';
import { replaceFileAtomically } from './atomicFile';
import { isLockHeld, withFileLock } from './fileLock';
import { readFrom } from './readBytes';

/**
 * Rewrites an append-only log (compaction, repair, rotation) without losing records that other
 * processes append meanwhile. Rewriters exclude each other with a lock; appenders take no lock.
 * Whatever reached the old file before the rewriter seals it is copied into the new file before
 * the rename, so it stays ahead of anything appended to the new file. An appender that checks
 * isLogSealed() after its write knows whether its record may have missed the copy and must be
 * written again once the new file is in place; for appenders that do not check, whatever
 * reaches the old file after the seal is still copied across after the rename, and an appender
 * that writes to the old file later notices the rename itself (see appendToLog). Duplicated
 * records are harmless: readers keep the first copy of each record id.
 */
export async function replaceLog(path: string, rewrite: (current: Buffer) => string | Buffer): Promise<void> {
  await withFileLock(path, async () => {
    const fd = openSync(path, 'r');
    const seal = sealPath(path, fstatSync(fd).ino);
    try {
      // A last line still being written (or torn by a crash) is left out: once complete it is
      // copied below like any late record, and a torn one was never acknowledged.
      const current = completeLines(readFrom(fd, 0));
      const rewritten = rewrite(current);
      writeFileSync(seal, '');
      const late = completeLines(readFrom(fd, current.length));
      await replaceFileAtomically(path, Buffer.concat([Buffer.from(rewritten), late]));
      // Both copies so far end on a line break, so this starts on a line of its own.
      const later = completeLines(readFrom(fd, current.length + late.length));
      if (later.length > 0) {
        appendToLog(path, later.toString('utf8'));
      }
    } finally {
      rmSync(seal, { force: true });
      closeSync(fd);
    }
  });
}

/**
 * True while a rewrite of the log file with inode `ino` is under way past the point where it
 * copies appended records: a record appended to that file now may be missing from the new one.
 * A seal left by a crashed rewriter counts only while its lock does.
 */
export function isLogSealed(path: string, ino: number): boolean {
  return existsSync(sealPath(path, ino)) && isLockHeld(path);
}

function sealPath(path: string, ino: number): string {
  return `${path}.sealed-${ino}`;
}

function completeLines(bytes: Buffer): Buffer {
  return bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
}
