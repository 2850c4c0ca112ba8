import { Message, SessionSummary } from '../../../core/model';
import { MessagePlace, SearchSource } from '../../../core/wordIndex/indexedSearch';
import { readMessageAt, readSession, readVersions } from '../database/sessionRows';
import { Statements } from '../database/statements';
import { STALE, messagesFromFile } from '../pages/fileMessages';

// What the word index knows of the SQLite store: a session's version is the id of the last
// operation applied to it (sessions.last_op, applyOps.ts), read in the same turn as the session
// so the two agree, and its facts are the store's summaries. Before the database has loaded (a
// fresh process, a cold `multichat search`), the versions come from the summaries sidecar and
// the journal after it, and a hit's message is read from the database file's pages (and the
// journal after its snapshot): a search that finds the index up to date then never loads the
// database. Anything else loads it.

export interface DatabaseSearchOptions {
  /** The database, loaded when it is not yet (read between awaits: sql.js reads are synchronous). */
  database: () => Statements | Promise<Statements>;
  /** The database when it is loaded; undefined before. */
  loaded: () => Statements | undefined;
  /** The sessions' versions while the database is not loaded, when they are known without it. */
  versionsBeforeLoad: () => ReadonlyMap<string, string> | undefined;
  /** The database file, read page by page before the database loads, and the journal after it. */
  files: { database: string; journal: string };
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
      const known = options.loaded() ? undefined : options.versionsBeforeLoad();
      return known ? new Map(known) : readVersions(await options.database());
    },
    facts: (id) => options.summaries().get(id),
    // A hit's snippet needs one message: reading its whole session cost most of a warm search.
    readMessagesAt: (places) => messagesAt(options, places),
  };
}

async function messagesAt(options: DatabaseSearchOptions, places: readonly MessagePlace[]): Promise<(Message | undefined)[]> {
  const loaded = options.loaded();
  const versions = loaded ? undefined : options.versionsBeforeLoad();
  const fromFile = versions ? messagesFromFile(options.files, places.map((place) => ({ ...place, version: versions.get(place.id) ?? '' }))) : places.map(() => STALE);
  if (!fromFile.includes(STALE)) {
    return fromFile as (Message | undefined)[];
  }
  const sql = loaded ?? (await options.database());
  return fromFile.map((message, place) => (typeof message === 'symbol' ? readMessageAt(sql, places[place].id, places[place].position) : message));
}
