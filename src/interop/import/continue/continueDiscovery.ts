// Where Continue keeps sessions: `~/.continue/sessions/<sessionId>.json`, one session a file, and
// `sessions.json` beside them, an index that alone knows when each session was created. A unit is
// one session file; its index entry rides along in the hint, so the index is read once per run.
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ImportUnit } from '../importFormats';
import { readLenientArray } from '../importErrors';
import { folderEntries, pathKind, peekText } from '../importPaths';
import { isoTime } from '../sessionDraft';
import { indexEntrySchema } from './continueSchema';

export const INDEX_FILE = 'sessions.json';

export interface ContinueHint {
  /** When the index says the session was created. */
  created?: string;
  title?: string;
}

/** The session files at `path`: one file, a `sessions` folder, or a `.continue` folder holding `sessions/`. */
export async function discoverSessions(path: string, claimOnly: boolean): Promise<ImportUnit[]> {
  const kind = await pathKind(path);
  if (kind === 'file') {
    return basename(path) !== INDEX_FILE && (!claimOnly || (await looksLikeSession(path))) ? unitsFor([path], dirname(path)) : [];
  }
  const folder = kind === 'folder' ? await sessionsFolder(path, claimOnly) : undefined;
  return folder ? sessionFiles(folder) : [];
}

/** The folder of session files `path` is or holds; when claiming, only one Continue's names mark. */
async function sessionsFolder(path: string, claimOnly: boolean): Promise<string | undefined> {
  const name = basename(resolve(path));
  if ((await pathKind(join(path, 'sessions'))) === 'folder') {
    return !claimOnly || name === '.continue' ? join(path, 'sessions') : undefined;
  }
  const claimed = name === 'sessions' && (await pathKind(join(path, INDEX_FILE))) === 'file';
  return !claimOnly || claimed ? path : undefined;
}

/** A Continue session by its first bytes, and not a Multichat bundle or a Copilot session. */
async function looksLikeSession(file: string): Promise<boolean> {
  if (extname(file) !== '.json') {
    return false;
  }
  const start = await peekText(file);
  return start.includes('"history"') && start.includes('"sessionId"') && !start.includes('"multichat-export"') && !start.includes('"requests"');
}

async function sessionFiles(folder: string): Promise<ImportUnit[]> {
  const files = (await folderEntries(folder)).filter((entry) => entry.isFile() && entry.name.endsWith('.json') && entry.name !== INDEX_FILE);
  return unitsFor(
    files.map((entry) => join(folder, entry.name)),
    folder,
  );
}

async function unitsFor(files: readonly string[], folder: string): Promise<ImportUnit[]> {
  const index = files.length > 0 ? await readIndex(join(folder, INDEX_FILE)) : new Map<string, ContinueHint>();
  return files.map((file) => ({ format: 'continue', path: file, hint: index.get(basename(file, '.json')) ?? {} }));
}

/**
 * sessions.json by session id. It only adds dates and titles to files that stand on their own, so
 * it is read leniently: when missing or broken it adds nothing, and a bad entry is passed over.
 */
async function readIndex(file: string): Promise<Map<string, ContinueHint>> {
  const index = new Map<string, ContinueHint>();
  for (const entry of await readLenientArray(file)) {
    const parsed = indexEntrySchema.safeParse(entry);
    if (parsed.success) {
      index.set(parsed.data.sessionId, { created: isoTime(parsed.data.dateCreated), title: parsed.data.title });
    }
  }
  return index;
}
