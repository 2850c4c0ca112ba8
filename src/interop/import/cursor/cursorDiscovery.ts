// Where Cursor's databases are under a path: a `.vscdb` file itself, or the state.vscdb of a
// folder, looking down through the layout Cursor uses (`Cursor/User/{globalStorage,
// workspaceStorage/<hash>}`). Auto-detection claims a database only when it is clearly Cursor's:
// an SQLite file under a `Cursor` folder, or one whose schema (on its first page) has Cursor's own
// `cursorDiskKV` table. VS Code keeps a state.vscdb of the same shape beside Copilot's
// `chatSessions` folder; that one belongs to the Copilot importer.
import { basename, dirname, join, resolve, sep } from 'node:path';
import { folderEntries, pathKind, peekText } from '../importPaths';

const DATABASE = 'state.vscdb';
/** Folders of Cursor's layout that may hold databases further down. */
const LAYOUT_FOLDERS = new Set(['User', 'globalStorage', 'workspaceStorage']);
const SQLITE_MAGIC = 'SQLite format 3\0';
/** Enough to hold the first page (the schema) at any page size. */
const SCHEMA_PEEK_BYTES = 65_536;

export async function cursorDatabases(path: string, claimOnly: boolean): Promise<string[]> {
  const kind = await pathKind(path);
  if (kind === 'file') {
    return !claimOnly || (path.endsWith('.vscdb') && (await peekText(path, 16)) === SQLITE_MAGIC) ? [path] : [];
  }
  if (kind !== 'folder') {
    return [];
  }
  const found = await databasesUnder(path, 3);
  if (!claimOnly) {
    return found;
  }
  const claimed = await Promise.all(found.map(isClearlyCursors));
  return found.filter((_, index) => claimed[index]);
}

async function databasesUnder(folder: string, depth: number): Promise<string[]> {
  const entries = await folderEntries(folder);
  const found = entries.some((entry) => entry.isFile() && entry.name === DATABASE) ? [join(folder, DATABASE)] : [];
  if (depth === 0) {
    return found;
  }
  // Below workspaceStorage every folder is one workspace's (named by a hash).
  const everyChild = basename(folder) === 'workspaceStorage';
  for (const entry of entries) {
    if (entry.isDirectory() && (everyChild || LAYOUT_FOLDERS.has(entry.name))) {
      found.push(...(await databasesUnder(join(folder, entry.name), everyChild ? 0 : depth - 1)));
    }
  }
  return found;
}

async function isClearlyCursors(database: string): Promise<boolean> {
  const head = await peekText(database, SCHEMA_PEEK_BYTES);
  if (!head.startsWith(SQLITE_MAGIC)) {
    return false;
  }
  if (resolve(database).split(sep).includes('Cursor')) {
    return true;
  }
  const besideCopilot = (await pathKind(join(dirname(database), 'chatSessions'))) === 'folder';
  return !besideCopilot && head.includes('cursorDiskKV');
}
