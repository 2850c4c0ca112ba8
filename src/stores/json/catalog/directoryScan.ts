import { readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { summarize } from '../../../core/model';
import { ProblemListener, SessionFileCatalog } from './sessionFileCatalog';
import { FileStamp, sameStamp, stampMatches, stampOf } from '../files/fileStamp';
import { sessionFileName, sessionIdFromFileName } from '../files/sessionFileNames';
import { loadSessionState } from '../log/sessionState';
import { INDEX_FILE, IndexEntry, readSummaryIndex } from './summaryIndex';
import { isMissing } from '../../fs/ioErrors';

// Reconciles the summary index with the session files actually in the directory: one readdir and
// one stat per file, and only files whose stamp changed since the index was written are parsed.

const STAT_BATCH = 256;

/**
 * The folder is created by the first write, not by opening: looking at the sessions of a
 * workspace that has none must not leave a `.multichat` folder behind.
 */
export function namesInFolder(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch (error) {
    if (isMissing(error)) {
      return [];
    }
    throw error;
  }
}

async function namesInFolderAsync(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (isMissing(error)) {
      return [];
    }
    throw error;
  }
}

export function sessionIdsIn(names: readonly string[]): string[] {
  const ids: string[] = [];
  for (const name of names) {
    const id = sessionIdFromFileName(name);
    if (id !== undefined) {
      ids.push(id);
    }
  }
  return ids;
}

export function openCatalog(directory: string, options: { cacheSize?: number; onProblems?: ProblemListener } = {}): SessionFileCatalog {
  const index = readSummaryIndex(join(directory, INDEX_FILE));
  const onDisk = new Set(sessionIdsIn(namesInFolder(directory)));
  const entries = new Map<string, IndexEntry>();
  let stale = index.status !== 'ok' || onDisk.size !== index.entries.size;
  const visit = (id: string, cached: IndexEntry | undefined): void => {
    const entry = entryIfReadable(`${directory}${sep}${sessionFileName(id)}`, id, cached, options.onProblems);
    if (entry) {
      entries.set(id, entry);
    }
    stale ||= entry !== cached;
  };
  // Index order first: it is list order, so the first list sorts an already sorted array.
  index.entries.forEach((cached, id) => {
    if (onDisk.delete(id)) {
      visit(id, cached);
    }
  });
  onDisk.forEach((id) => visit(id, undefined));
  const catalog = new SessionFileCatalog(directory, entries, options.cacheSize, options.onProblems);
  catalog.indexDirty = stale;
  return catalog;
}

/** One file the store may not read (permissions, I/O error) must not keep the others from opening: verify reports it. */
function entryIfReadable(path: string, id: string, cached: IndexEntry | undefined, onProblems?: ProblemListener): IndexEntry | undefined {
  try {
    return currentEntry(path, id, cached, onProblems);
  } catch {
    return undefined;
  }
}

/** The cached entry while its file is unchanged, else a fresh one read from the file. */
function currentEntry(path: string, id: string, cached: IndexEntry | undefined, onProblems?: ProblemListener): IndexEntry | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) {
    return undefined;
  }
  if (cached && stampMatches(cached.stamp, stats)) {
    return cached;
  }
  const outcome = loadSessionState(path, id);
  if (!outcome) {
    return undefined;
  }
  if (outcome.state.problems.length > 0) {
    onProblems?.(outcome.state);
  }
  const { session, stamp: readStamp } = outcome.state;
  return { stamp: readStamp, summary: session ? summarize(session) : null };
}

/**
 * Ids whose files changed, appeared or vanished since the catalog last looked — the safety net
 * for changes a file watcher missed. Stats run concurrently, off the event loop.
 */
export async function findChangedSessions(catalog: SessionFileCatalog): Promise<string[]> {
  const onDisk = sessionIdsIn(await namesInFolderAsync(catalog.directory));
  const present = new Set(onDisk);
  const changed = catalog.knownIds().filter((id) => !present.has(id));
  for (let start = 0; start < onDisk.length; start += STAT_BATCH) {
    const batch = onDisk.slice(start, start + STAT_BATCH);
    const stamps = await Promise.all(batch.map((id) => stampOrUndefined(catalog.pathOf(id))));
    batch.forEach((id, i) => {
      if (!sameStamp(stamps[i], catalog.stampOf(id))) {
        changed.push(id);
      }
    });
  }
  return changed;
}

async function stampOrUndefined(path: string): Promise<FileStamp | undefined> {
  try {
    return stampOf(await stat(path));
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
}
