import { statSync } from 'node:fs';
import { JournalChunk } from './journalChunk';

/**
 * The journal as this process read it when a store opened (initialState.ts), kept for the readers
 * that follow in a fresh process — a search's replay from the database file, the database load —
 * so that a cold run parses it once. Trusted only while the file has the inode and size it had
 * (the journal is only ever appended to, or replaced); the database load takes it, and closing
 * the store drops it, so it does not outlive the opening.
 */
const openingReads = new Map<string, JournalChunk>();

export function keepOpeningRead(path: string, chunk: JournalChunk): void {
  openingReads.set(path, chunk);
}

/** The opening read of the journal at `path`, if it is still the whole of what the file holds past its start. */
export function openingRead(path: string): JournalChunk | undefined {
  const chunk = openingReads.get(path);
  const stats = chunk && statSync(path, { throwIfNoEntry: false });
  return stats && stats.ino === chunk.ino && stats.size === chunk.size ? chunk : undefined;
}

/** Drops the opening read (the database has loaded, or the store closed). */
export function forgetOpeningRead(path: string): void {
  openingReads.delete(path);
}
