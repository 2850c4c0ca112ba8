import { Stats, statSync } from 'node:fs';

// Stamps tell whether a session file changed since it was read, without reading it: the summary
// index keeps one per file, and the catalog compares them on every refresh.

/** What identifies one version of a file: an append changes size and mtime, a rewrite the inode. */
export interface FileStamp {
  size: number;
  ino: number;
  mtimeMs: number;
}

export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, ino: stats.ino, mtimeMs: stats.mtimeMs };
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}

/** sameStamp against a file's Stats, without making a stamp of them (opening compares 10,000). */
export function stampMatches(stamp: FileStamp, stats: Stats): boolean {
  return stamp.size === stats.size && stamp.ino === stats.ino && stamp.mtimeMs === stats.mtimeMs;
}

export function stampIfExists(path: string): FileStamp | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats && stampOf(stats);
}
