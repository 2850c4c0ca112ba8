import { isValidId } from '../../../core/ids';

// Session files are named `<id>.jsonl`; names are validated before they become ids, so a stray
// file can never address anything outside the store's folder.

const SESSION_SUFFIX = '.jsonl';

export function sessionFileName(id: string): string {
  return `${id}${SESSION_SUFFIX}`;
}

/** The session id a directory entry stands for, or undefined for anything else (index, temp files). */
export function sessionIdFromFileName(name: string): string | undefined {
  if (!name.endsWith(SESSION_SUFFIX)) {
    return undefined;
  }
  const id = name.slice(0, -SESSION_SUFFIX.length);
  return isValidId(id) ? id : undefined;
}

/** Whether a folder entry is a new session file that never made it into place (see createSessionFile). */
export function isSessionTempName(name: string): boolean {
  return /\.jsonl\.[0-9a-f]{12}\.tmp$/.test(name);
}

/** The word index search keeps beside the sessions: a cache, rebuilt from them when missing or unreadable. */
export const WORD_INDEX_FILE = 'search-index.bin';
