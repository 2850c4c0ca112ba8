import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { storeUnavailable } from '../core/errors';
import { syncDirectory } from './fs/atomicFile';
import { isMissing, withIoFailure } from './fs/ioErrors';
import { INDEX_FILE } from './json/catalog/summaryIndex';
import { WORD_INDEX_FILE, isSessionTempName, sessionIdFromFileName } from './json/files/sessionFileNames';
import { storePaths } from './sqlite/storePaths';
import { StorageSettings, StoreSpec, storeSpecFromSettings } from './storeSpec';

// One workspace folder, one store: the settings name the backend in use, and the other backend's store at the
// location the same settings name (by default `.multichat` and `.multichat/sessions.sqlite`, one inside the other)
// is a stray copy — what a switch of backend leaves behind. The editor and the CLI both look for it and say so,
// and a switch moves it aside under a name that says what replaced it (kept, never deleted).

export type Backend = StoreSpec['kind'];

export const BACKEND_NAMES: Record<Backend, string> = { json: 'JSON', sqlite: 'SQLite' };

/** Where a store lives: its folder (JSON) or its database file (SQLite). */
export function storeLocation(spec: StoreSpec): string {
  return spec.kind === 'json' ? spec.directory : spec.file;
}

/** The other backend's store that holds sessions beside the one the settings use, if there is one. */
export function strayStoreOf(settings: StorageSettings, folder: string): StoreSpec | undefined {
  const inUse = storeSpecFromSettings(settings, folder).kind;
  const other = storeSpecFromSettings({ ...settings, backend: inUse === 'json' ? 'sqlite' : 'json' }, folder);
  return holdsSessions(other) ? other : undefined;
}

/** Whether a store has anything of its own on disk: a session file or index (JSON), a database or journal (SQLite). */
export function holdsSessions(spec: StoreSpec): boolean {
  if (spec.kind === 'sqlite') {
    const paths = storePaths(spec.file);
    return [paths.file, paths.journal, paths.backup].some((file) => existsSync(file));
  }
  return jsonStoreEntries(spec.directory).length > 0;
}

/** The JSON store's own files in its folder: session files, their temp files and the indexes (not a SQLite store beside them). */
function jsonStoreEntries(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return [];
    }
    throw error;
  }
  return names.filter((name) => name === INDEX_FILE || name === WORD_INDEX_FILE || sessionIdFromFileName(name) !== undefined || isSessionTempName(name));
}

/** `.multichat.replaced-by-sqlite-2026-12-01T10-00-00-000Z` beside a JSON folder; `sessions.sqlite.replaced-by-json-…` beside a database. */
export function asideName(spec: StoreSpec, replacedBy: Backend, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${storeLocation(spec)}.replaced-by-${replacedBy}-${stamp}`;
}

/**
 * Moves a store that was replaced by the `replacedBy` backend aside, into a new folder named by asideName: its
 * own files only (a SQLite store inside a JSON folder stays where it is). Nothing is deleted or overwritten.
 * Resolves with the new folder's path. The store must be closed.
 */
export function moveStoreAside(spec: StoreSpec, replacedBy: Backend, now: Date = new Date()): string {
  const files = spec.kind === 'json' ? jsonStoreEntries(spec.directory).map((name) => join(spec.directory, name)) : sqliteStoreFiles(spec.file);
  if (files.length === 0) {
    throw storeUnavailable(`there is no ${BACKEND_NAMES[spec.kind]} store at ${storeLocation(spec)} to move aside`);
  }
  const aside = asideName(spec, replacedBy, now);
  withIoFailure('create', aside, () => mkdirSync(aside)); // exclusive: an existing folder of that name is an error
  for (const file of files) {
    withIoFailure('move', file, () => renameSync(file, join(aside, basename(file))));
  }
  syncDirectory(aside);
  syncDirectory(dirname(files[0]));
  return aside;
}

function sqliteStoreFiles(file: string): string[] {
  const paths = storePaths(file);
  return [paths.file, paths.backup, paths.journal, paths.sidecar, paths.searchIndex].filter((each) => existsSync(each));
}
