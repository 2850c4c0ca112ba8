import { closeSync, existsSync, fsync, linkSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { newId } from '../../../core/ids';
import { isAtomicTempName, syncDirectory } from '../../fs/atomicFile';
import { tryParse } from '../../fs/logLines';
import { replaceLog } from '../../fs/replaceLog';
import { removeStaleTemps } from '../../fs/staleTemps';
import { writeFully } from '../../fs/writeFully';
import { fileHeaderProblem } from '../database/databaseFile';
import { recordId } from '../journal/journalChunk';
import { journalRecordSchema, serializeRecord } from '../journal/journalRecords';
import { moveToQuarantine } from '../../fs/quarantine';
import { StorePaths, isTempNameFor, tempNameFor } from '../storePaths';

/**
 * Writing a snapshot and trimming the journal behind it. The caller holds the store's snapshot
 * lock. Every step is atomic, so a crash at any point leaves a database file, a backup and a
 * journal that together hold every acknowledged change:
 *   1. write the new database to a temp file and fsync it;
 *   2. hard-link the current file to a temp name and rename that over `.bak`;
 *   3. rename the temp file over the database file; fsync the directory.
 *
 * `bytes` may be the live database itself (see databaseImage.ts), which the next operation may
 * change: it is all handed to the kernel before the first await, and only the fsync waits.
 * A failure at any step (a full disk) removes the temp files and leaves the database file and
 * backup as they were; the caller tries again later.
 */
export async function writeSnapshotFile(paths: StorePaths, bytes: Uint8Array): Promise<string[]> {
  const temp = tempNameFor(paths.file, 'snapshot');
  const notes: string[] = [];
  try {
    await syncAndClose(writeAllNow(temp, bytes));
    if (existsSync(paths.file)) {
      notes.push(...keepAsBackup(paths));
    }
    renameSync(temp, paths.file);
    syncDirectory(paths.directory);
  } finally {
    rmSync(temp, { force: true });
  }
  removeLeftoverTemps(paths);
  return notes;
}

/**
 * Temp files of snapshots killed midway (the database and journal never depended on them). The
 * caller holds the snapshot lock, so no other process is writing one right now. Atomic
 * replacements (the sidecar) take no such lock: only stale ones are removed.
 */
function removeLeftoverTemps(paths: StorePaths): void {
  for (const name of readdirSync(paths.directory)) {
    if (isTempNameFor(paths.file, 'snapshot', name) || isTempNameFor(paths.file, 'backup', name)) {
      rmSync(join(paths.directory, name), { force: true });
    }
  }
  removeStaleTemps(paths.directory, isAtomicTempName);
}

const fsyncAsync = promisify(fsync);

/** Writes everything synchronously into a new file (every byte, or it throws); returns its descriptor, still open. */
function writeAllNow(path: string, bytes: Uint8Array): number {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeFully(fd, bytes, dirname(path));
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

async function syncAndClose(fd: number): Promise<void> {
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The current file becomes the backup, unless it is itself damaged: then it is quarantined. */
function keepAsBackup(paths: StorePaths): string[] {
  const problem = fileHeaderProblem(paths.file);
  if (problem !== undefined) {
    return [`${paths.file} was corrupt (${problem}); moved it to ${moveToQuarantine(paths.quarantine, paths.file)}`];
  }
  const link = tempNameFor(paths.file, 'backup');
  linkSync(paths.file, link);
  try {
    renameSync(link, paths.backup);
  } catch (error) {
    rmSync(link, { force: true });
    throw error;
  }
  return [];
}

/**
 * Drops the journal records that both the database file and its backup hold: those up to what
 * the backup covers, as told by the snapshot marker naming the backup's inode. Returns false
 * when there was nothing to drop.
 */
export async function rotateJournal(journalPath: string, backupIno: number): Promise<boolean> {
  let rotated = false;
  await replaceLog(journalPath, (current) => {
    const next = trimmedJournal(current, backupIno);
    rotated = next !== undefined;
    return next ?? current;
  });
  return rotated;
}

function trimmedJournal(current: Buffer, backupIno: number): Buffer | undefined {
  const cut = cutPoint(current, backupIno);
  if (!cut) {
    return undefined;
  }
  const header = serializeRecord({ type: 'rotated', id: newId(), after: cut.after });
  return Buffer.concat([Buffer.from(header), current.subarray(cut.end)]);
}

/**
 * Where the journal may be cut: after the record the backup's last snapshot marker covers. Only
 * the lines that mention a marker or that record are parsed, never the whole journal, which may
 * be large and is held in memory next to the database while a snapshot finishes.
 */
function cutPoint(current: Buffer, backupIno: number): { after: string; end: number } | undefined {
  let after: string | null | undefined;
  for (const { value } of linesMentioning(current, '"snapshot"')) {
    const record = journalRecordSchema.safeParse(value);
    if (record.success && record.data.type === 'snapshot' && record.data.fileIno === backupIno) {
      after = record.data.covers;
    }
  }
  return after ? endOfRecord(current, after) : undefined;
}

function endOfRecord(current: Buffer, id: string): { after: string; end: number } | undefined {
  for (const { value, end } of linesMentioning(current, `"${id}"`)) {
    if (recordId(value) === id) {
      return { after: id, end };
    }
  }
  return undefined;
}

/** The complete lines holding `text`, parsed (undefined when not JSON), with where each ends. */
function* linesMentioning(buffer: Buffer, text: string): Generator<{ value: unknown; end: number }> {
  const needle = Buffer.from(text);
  for (let at = buffer.indexOf(needle); at >= 0; ) {
    const newline = buffer.indexOf(0x0a, at);
    if (newline < 0) {
      return; // the unterminated last line: still being written, or a crash's leftover
    }
    const start = buffer.lastIndexOf(0x0a, at) + 1;
    yield { value: tryParse(buffer.toString('utf8', start, newline)), end: newline + 1 };
    at = buffer.indexOf(needle, newline + 1);
  }
}
