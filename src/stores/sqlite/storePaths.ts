import { basename, dirname, join } from 'node:path';
import { StoreAccess } from '../../core/store';
import { quarantineFolderOf } from '../fs/quarantine';
import { writeAccess } from '../fs/writeAccess';

/** Every file a SQLite store keeps beside its database. */
export interface StorePaths {
  /** The database snapshot. */
  file: string;
  /** The previous good snapshot. */
  backup: string;
  /** JSON-lines log of every change since (at least) the backup. */
  journal: string;
  /** Session summaries, so that a fresh process can list before the database has loaded. */
  sidecar: string;
  /** The word index search reads (a cache: deleting it loses nothing). */
  searchIndex: string;
  directory: string;
  quarantine: string;
}

export function storePaths(file: string): StorePaths {
  const directory = dirname(file);
  return {
    file,
    backup: `${file}.bak`,
    journal: `${file}.journal`,
    sidecar: `${file}.summaries.json`,
    searchIndex: `${file}.search-index.bin`,
    directory,
    quarantine: quarantineFolderOf(directory),
  };
}

/** Whether the store can be written: its folder (or where it would be created) and its journal. */
export function storeAccess(paths: StorePaths): StoreAccess {
  return writeAccess([paths.directory, paths.journal]);
}

/** A unique temporary name beside `path`, recognisable as ours. */
export function tempNameFor(path: string, purpose: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return join(dirname(path), `.${basename(path)}.${purpose}-${process.pid}-${random}.tmp`);
}

/** Whether `name` (in the same folder) is one of tempNameFor(path, purpose)'s names. */
export function isTempNameFor(path: string, purpose: string, name: string): boolean {
  const prefix = `.${basename(path)}.${purpose}-`;
  return name.startsWith(prefix) && /^\d+-[a-z0-9]+\.tmp$/.test(name.slice(prefix.length));
}
