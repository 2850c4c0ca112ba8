import { closeSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Atomic replacement: write-file-atomic writes a uniquely named temp file, fsyncs it and renames
 * it over the target. It does not fsync the directory, so the rename itself could be lost in a
 * power cut; we do that here before reporting success.
 */
export async function replaceFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomic(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    fsync: true,
  });
  syncDirectory(dirname(path));
}

export function replaceFileAtomicallySync(path: string, data: string | Uint8Array): void {
  writeFileAtomic.sync(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    fsync: true,
  });
  syncDirectory(dirname(path));
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
