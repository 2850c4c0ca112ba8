import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, rmSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { invalidInput, sessionNotFound } from '../../../core/errors';
import { MissingLogError, appendToLog } from '../../fs/appendLog';
import { syncDirectory, syncDirectoryAsync } from '../../fs/atomicFile';
import { openForReadingIfExists, readRange } from '../../fs/readBytes';
import { ensureDirectory } from '../../fs/writeAccess';
import { writeFullyAsync } from '../../fs/writeFully';
import { FileStamp, stampOf } from './fileStamp';
import { sessionFileName } from './sessionFileNames';
import { isMissing } from '../../fs/ioErrors';

// One session file on disk: exclusive atomic creation, durable appends, deletion and reading.

/** Bytes from `offset` to the end, with the stamp of exactly what was read; undefined if missing. */
export function readSessionBytes(path: string, offset = 0): { bytes: Buffer; stamp: FileStamp } | undefined {
  const fd = openForReadingIfExists(path);
  if (fd === undefined) {
    return undefined;
  }
  try {
    const stamp = stampOf(fstatSync(fd));
    const bytes = readRange(fd, Math.min(offset, stamp.size), stamp.size);
    return { bytes, stamp: { ...stamp, size: Math.min(offset, stamp.size) + bytes.length } };
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a complete new file under a temporary name, makes it durable, then links it into place:
 * link(2) fails if the name is taken, so two processes creating one id cannot overwrite each other,
 * and readers never see a partial file. Whatever fails — a full disk mid-write — the temporary
 * file is removed.
 */
export async function createSessionFile(directory: string, id: string, text: string): Promise<void> {
  const target = join(directory, sessionFileName(id));
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  // The folder appears with the first session (opening a store does not create it).
  ensureDirectory(directory);
  try {
    await writeDurably(temp, text, 'wx');
    await linkIntoPlace(temp, target, id, text);
  } finally {
    rmSync(temp, { force: true });
  }
  await syncDirectoryAsync(directory);
}

async function linkIntoPlace(temp: string, target: string, id: string, text: string): Promise<void> {
  try {
    linkSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw invalidInput(`a session with id ${id} already exists`);
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') {
      throw error;
    }
    await createWithoutLinks(target, id, text);
  }
}

/**
 * For file systems without hard links: still exclusive, though a crash could leave it partial.
 * A failed write removes the partial file it created (nobody else can hold that name yet).
 */
async function createWithoutLinks(target: string, id: string, text: string): Promise<void> {
  let created = false;
  try {
    await writeDurably(target, text, 'wx', () => (created = true));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw invalidInput(`a session with id ${id} already exists`);
    }
    if (created) {
      unlinkSync(target);
    }
    throw error;
  }
}

// Asynchronous, unlike the rest of the store's file work: a new session's file and folder syncs
// are most of what creating it costs, and several creates in flight (an import) then share the
// disk's flushes instead of waiting for one each.
async function writeDurably(path: string, text: string, flags: string, onCreated?: () => void): Promise<void> {
  const handle = await open(path, flags, 0o644);
  onCreated?.();
  try {
    await writeFullyAsync(handle, Buffer.from(text), dirname(path));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Appends records durably; a session deleted meanwhile is reported as not found. */
export function appendSessionRecords(path: string, id: string, text: string): void {
  try {
    appendToLog(path, text);
  } catch (error) {
    if (error instanceof MissingLogError) {
      throw sessionNotFound(id);
    }
    throw error;
  }
}

/** Unlinks a session file durably; false when it was already gone. */
export function deleteSessionFile(directory: string, id: string): boolean {
  try {
    unlinkSync(join(directory, sessionFileName(id)));
  } catch (error) {
    if (isMissing(error)) {
      return false;
    }
    throw error;
  }
  syncDirectory(directory);
  return true;
}
