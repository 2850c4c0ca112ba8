import { ChangeEmitter } from '../../../core/changeEmitter';
import { IndexProgress } from '../../../core/store';
import { describeIoCause } from '../../fs/ioErrors';
import { CachedSearch } from '../../shared/search/cachedSearch';
import { SqliteEngine } from '../sqliteEngine';
import { databaseSearchSource } from './databaseSearchSource';

// The SQLite store's search: the word index every file store shares, saved beside the database
// (`<file>.search-index.bin`), reading sessions from the database (databaseSearchSource.ts: a
// search that finds the index up to date needs no loaded database). Reads during a catch-up take
// the database as it stands, without catching up with the journal for each one: search() catches
// up once before it asks (sqliteStore.ts), and what the journal brings later arrives as change
// events.

export interface SqliteSearchHooks {
  spec: string;
  warn: (message: string) => void;
  indexing: ChangeEmitter<IndexProgress>;
}

export function sqliteSearch(engine: SqliteEngine, hooks: SqliteSearchHooks): CachedSearch {
  return new CachedSearch({
    file: engine.paths.searchIndex,
    of: hooks.spec,
    source: databaseSearchSource({
      database: () => engine.state.sql ?? engine.database(),
      loaded: () => engine.state.sql,
      versionsBeforeLoad: () => engine.state.versionsBeforeLoad,
      files: { database: engine.paths.file, journal: engine.paths.journal },
      summaries: () => engine.state.summaries,
    }),
    writable: () => engine.writable(),
    onSaveFailure: (error) => hooks.warn(`could not save the search index: ${describeIoCause(error)}`),
    onProgress: (done, total) => hooks.indexing.emit({ done, total }),
  });
}
