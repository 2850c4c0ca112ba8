// Where Copilot Chat sessions are: VS Code keeps one file per session in
// `workspaceStorage/<hash>/chatSessions/` — `<id>.json` (older, whole) or `<id>.jsonl` (a log).
// A path may name one such file, a `chatSessions` folder, a `<hash>` folder holding one, or a
// whole `workspaceStorage` folder of hashes. Auto-detection claims only what is clearly Copilot's:
// the folder names, or a peek at a file's start; units always come in name order.
import { join } from 'node:path';
import { ImportUnit } from '../importFormats';
import { folderEntries, pathKind, peekText } from '../importPaths';

export const CHAT_SESSIONS = 'chatSessions';
const PEEK_BYTES = 16 * 1024;

export async function discoverCopilot(path: string, claimOnly: boolean): Promise<ImportUnit[]> {
  const kind = await pathKind(path);
  if (kind === 'file') {
    return !claimOnly || (await looksLikeCopilot(path)) ? [unitOf(path)] : [];
  }
  if (kind === 'none') {
    return [];
  }
  const folders = await sessionFolders(path);
  if (folders.length === 0 && !claimOnly) {
    // Named as Copilot's by the user: take the session files lying in the folder itself.
    return sessionFiles(path);
  }
  const units = await Promise.all(folders.map(sessionFiles));
  return units.flat();
}

/** The `chatSessions` folders at `path`: itself, its child, or its children's children. */
async function sessionFolders(path: string): Promise<string[]> {
  if (path.replace(/[/\\]+$/, '').split(/[/\\]/).pop() === CHAT_SESSIONS) {
    return [path];
  }
  const entries = await folderEntries(path);
  if (entries.some((entry) => entry.isDirectory() && entry.name === CHAT_SESSIONS)) {
    return [join(path, CHAT_SESSIONS)];
  }
  const found: string[] = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    const nested = join(path, entry.name, CHAT_SESSIONS);
    if ((await pathKind(nested)) === 'folder') {
      found.push(nested);
    }
  }
  return found;
}

async function sessionFiles(folder: string): Promise<ImportUnit[]> {
  const entries = await folderEntries(folder);
  return entries.filter((entry) => entry.isFile() && /\.jsonl?$/i.test(entry.name)).map((entry) => unitOf(join(folder, entry.name)));
}

/** A log starts with its kind 0 line; a session or an exported chat shows its requests and users. */
async function looksLikeCopilot(file: string): Promise<boolean> {
  const start = (await peekText(file, PEEK_BYTES)).replace(/^\uFEFF/, '').trimStart();
  if (/\.jsonl$/i.test(file)) {
    return /^\{\s*"kind"\s*:\s*0\b/.test(start);
  }
  return start.startsWith('{') && start.includes('"requests"') && (start.includes('"sessionId"') || start.includes('"requesterUsername"')) && !start.includes('"multichat-export"');
}

function unitOf(path: string): ImportUnit {
  return { format: 'copilot', path };
}
