import { closeSync, constants, copyFileSync, fstatSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { shortWriteError } from './writeFully';

/**
 * A durable copy under a new name (quarantine keeps the bytes it is about to repair): never
 * over an existing file, checked for completeness — a copy cut short by a full disk is removed
 * and reported, never kept as if it held everything — and fsynced before it counts.
 */
export function copyFileDurably(source: string, target: string): void {
  const expected = statSync(source).size;
  copyFileSync(source, target, constants.COPYFILE_EXCL);
  const fd = openSync(target, 'r');
  try {
    const copied = fstatSync(fd).size;
    if (copied < expected) {
      throw shortWriteError(dirname(target), copied, expected);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(target, { force: true });
    throw error;
  }
  closeSync(fd);
}
