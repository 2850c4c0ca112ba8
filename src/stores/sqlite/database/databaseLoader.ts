import { statSync } from 'node:fs';
import { DatabaseWriter } from './applyOps';
import { DatabaseSource, OpenOptions, openDatabaseFile } from './databaseFile';
import { readJournal } from '../journal/journal';
import { forgetOpeningRead, openingRead } from '../journal/openingRead';
import { JournalChunk, locateRecord } from '../journal/journalChunk';
import { readJournalMark } from './schema';
import { Statements } from './statements';
import { LoadedDatabase } from '../state/storeState';
import { StorePaths } from '../storePaths';
import { loadSqlJs } from './wasmLoader';

// Loads the database snapshot and finds where it stands in the journal, so that the caller can
// replay what came after. A snapshot replaced by a newer one (and the journal rotated) between
// reading the file and reading the journal is simply read again.

export interface LoadedSnapshot {
  database: LoadedDatabase;
  /** The whole journal, and the entry after which to replay (-1: all of it). */
  journal: JournalChunk;
  replayAfter: number;
  source: DatabaseSource;
  warnings: string[];
}

const ATTEMPTS = 3;

export async function loadSnapshot(paths: StorePaths, options: OpenOptions): Promise<LoadedSnapshot> {
  const sqlJs = await loadSqlJs();
  for (let attempt = 1; ; attempt++) {
    const opened = await openDatabaseFile(sqlJs, paths, options);
    const covers = readJournalMark(opened.db)?.id ?? null;
    const journal = journalToReplay(paths.journal);
    const index = locateRecord(journal, covers);
    if (index === undefined && attempt < ATTEMPTS && opened.source === 'file' && replacedSince(paths.file, opened.ino)) {
      opened.db.close();
      continue;
    }
    const sql = new Statements(opened.db);
    const source = sourceOf(opened.source, journal);
    const warnings = [...opened.warnings, ...positionWarnings(paths, source, index === undefined ? covers : undefined)];
    return { database: { sql, writer: new DatabaseWriter(sql) }, journal, replayAfter: index ?? -1, source, warnings };
  }
}

/** The store's opening read, when it is the whole journal and still all of it (then dropped); read again otherwise. */
function journalToReplay(path: string): JournalChunk {
  const opening = openingRead(path);
  forgetOpeningRead(path);
  return opening?.start === 0 ? opening : readJournal(path);
}

/** An empty database with nothing to replay is no recovery: the store is empty (or was deleted). */
function sourceOf(opened: DatabaseSource, journal: JournalChunk): DatabaseSource {
  return opened === 'empty' && journal.entries.length === 0 ? 'none' : opened;
}

function positionWarnings(paths: StorePaths, source: DatabaseSource, unplaced: string | null | undefined): string[] {
  const warnings: string[] = [];
  if (unplaced !== undefined) {
    warnings.push(`the journal does not reach back to the snapshot's position (${unplaced ?? 'start'}); replayed all of it`);
  }
  if (source === 'backup' || source === 'empty') {
    warnings.push(source === 'backup' ? `recovered from ${paths.backup} and the journal` : 'started from an empty database and the journal');
  }
  return warnings;
}

function replacedSince(path: string, ino: number): boolean {
  try {
    return statSync(path).ino !== ino;
  } catch {
    return true;
  }
}
