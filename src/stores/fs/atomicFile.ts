import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFullyAsync } from './writeFully';

/**
 * Atomic replacement, as VS Code's own file service does it: write a uniquely named temp file
 * beside the target, check that every byte was written, fsync it, rename it over the target and
 * fsync the folder, so that a crash leaves the old file or the new one, never a part. Whatever
 * fails (a full disk, a read-only folder), the temp file is removed and the target is untouched.
 * (write-file-atomic, used before, ignores short writes: on a full disk it renamed a truncated
 * file over the good one.)
 */
export async function replaceFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomically(path, (write) => write(typeof data === 'string' ? Buffer.from(data) : data));
}

/** Appends bytes to the file being written, every byte checked. */
export type AtomicWrite = (bytes: Uint8Array) => Promise<void>;

/**
 * The same for a file produced piece by piece (an export too big to hold): `produce` writes it
 * through `write`; only once it resolves is the file renamed into place. If it throws (a full
 * disk, a cancel), nothing changes but the temp file's removal.
 */
export async function writeFileAtomically<T>(path: string, produce: (write: AtomicWrite) => Promise<T>): Promise<T> {
  const temp = atomicTempName(path);
  let result: T;
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      let position = 0;
      result = await produce(async (bytes) => {
        await writeFullyAsync(handle, bytes, dirname(path), position);
        position += bytes.byteLength;
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  syncDirectory(dirname(path));
  return result;
}

/** `.<name>.<random>.atomic.tmp`: hidden, unique, and never mistaken for a store's own file. */
function atomicTempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.atomic.tmp`);
}

/** Whether a folder entry is one of atomicTempName's names. */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.atomic\.tmp$/.test(name);
}

/** Makes a directory's entries (new, renamed or removed files) durable. */
export function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** syncDirectory without blocking the event loop. */
export async function syncDirectoryAsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
