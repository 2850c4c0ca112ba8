import { statfsSync, writeSync } from 'node:fs';
import { FileHandle } from 'node:fs/promises';
import { errnoError } from './ioErrors';

/**
 * write(2) may write fewer bytes than asked — on a full disk it writes what fits and says
 * nothing — so a single call that returns is not a success. These loop until every byte is
 * written, and fail when the kernel stops making progress. (Appends to a shared log must not
 * loop: see appendLog.ts.)
 */
export function writeFully(fd: number, bytes: Uint8Array, directory: string): void {
  for (let written = 0; written < bytes.byteLength; ) {
    const wrote = writeSync(fd, bytes, written, Math.min(WRITE_CHUNK, bytes.byteLength - written));
    if (wrote <= 0) {
      throw shortWriteError(directory, written, bytes.byteLength);
    }
    written += wrote;
  }
}

/** Writes every byte at `position` (default the start); a file written in pieces passes where each goes. */
export async function writeFullyAsync(handle: FileHandle, bytes: Uint8Array, directory: string, position = 0): Promise<void> {
  for (let written = 0; written < bytes.byteLength; ) {
    const { bytesWritten } = await handle.write(bytes, written, Math.min(WRITE_CHUNK, bytes.byteLength - written), position + written);
    if (bytesWritten <= 0) {
      throw shortWriteError(directory, written, bytes.byteLength);
    }
    written += bytesWritten;
  }
}

/** Each write call stays short (the event loop and other writers get a turn); bytes are never copied. */
const WRITE_CHUNK = 8 * 2 ** 20;

/**
 * The error for a write the kernel cut short without an error code. Nearly always the disk is
 * full; with space left, a quota is the likely cause.
 */
export function shortWriteError(directory: string, written: number, wanted: number): NodeJS.ErrnoException {
  const code = freeBytes(directory) < wanted - written + 64 * 1024 ? 'ENOSPC' : 'EDQUOT';
  return errnoError(code, `only ${written} of ${wanted} bytes could be written`);
}

function freeBytes(directory: string): number {
  try {
    const stats = statfsSync(directory);
    return stats.bavail * stats.bsize;
  } catch {
    return 0;
  }
}
