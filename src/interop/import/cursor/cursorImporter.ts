// Cursor's chat history, read from its state.vscdb SQLite databases (see cursorSessions for what
// is read, cursorDatabase for how the file is opened: from an in-memory copy, never for writing).
import { Importer, ImportUnit, ParsedUnit, ReadLimits, SkippedParts } from '../importFormats';
import { withCursorDatabase } from './cursorDatabase';
import { cursorDatabases } from './cursorDiscovery';
import { readSessions } from './cursorSessions';

export const cursorImporter: Importer = {
  format: 'cursor',
  label: 'Cursor',
  async discover(path: string, claimOnly: boolean): Promise<ImportUnit[]> {
    return (await cursorDatabases(path, claimOnly)).map((database) => ({ format: 'cursor', path: database }));
  },
  async read(unit: ImportUnit, limits: ReadLimits): Promise<ParsedUnit> {
    const skipped: SkippedParts = {};
    const sessions = await withCursorDatabase(unit.path, limits, skipped, (db) => readSessions(db, skipped));
    return { sessions, skipped };
  },
};
