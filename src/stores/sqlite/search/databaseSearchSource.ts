import { SessionSummary } from '../../../core/model';
import { SearchSource } from '../../../core/wordIndex/indexedSearch';
import { readMessageAt, readSession } from '../database/sessionRows';
import { Statements } from '../database/statements';

// What the word index knows of a database in the SQLite layout (the SQLite store's, and the
// Redis store's local copy): a session's version is the id of the last operation applied to it
// (sessions.last_op, applyOps.ts), read in the same turn as the session so the two agree, and
// its facts are the summaries the store keeps beside the database.

export interface DatabaseSearchOptions {
  /** The database as it is now (read between awaits: sql.js reads are synchronous). */
  database: () => Statements | Promise<Statements>;
  summaries: () => ReadonlyMap<string, SessionSummary>;
}

export function databaseSearchSource(options: DatabaseSearchOptions): SearchSource {
  return {
    async read(id) {
      const sql = await options.database();
      const session = readSession(sql, id);
      return session && { session, version: String(sql.one('SELECT last_op FROM sessions WHERE id = ?', [id])?.[0]) };
    },
    async versions() {
      const sql = await options.database();
      return new Map(sql.all('SELECT id, last_op FROM sessions').map(([id, op]) => [String(id), String(op)]));
    },
    facts: (id) => options.summaries().get(id),
    // A hit's snippet needs one message: reading its whole session cost most of a warm search.
    async readMessagesAt(places) {
      const sql = await options.database();
      return places.map(({ id, position }) => readMessageAt(sql, id, position));
    },
  };
}
