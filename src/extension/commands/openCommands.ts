import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import { SessionRef } from '../sessionRef';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, stringArg } from './commandRunner';
import { openSessionRef } from './createCommands';
import { showSessionQuickOpen } from './quickOpen';
import { FolderHit, hitPickItem, searchAllFolders } from './searchAll';
import { isSessionRef } from '../sessionRef';

/** Open Session… (quick open with search) and Search Sessions… (input box, then results). */
export function quickOpenSessionCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.quickOpenSession',
    failure: 'open the session',
    run: async (arg?: unknown) => {
      if (isSessionRef(arg)) {
        await openSessionRef(arg);
        return arg;
      }
      await deps.catalog.whenIdle();
      const picked = await showSessionQuickOpen(deps.catalog, deps.logger, stringArg(optionsArg<{ query: string }>(arg).query));
      if (picked) {
        await openSessionRef(picked);
      }
      return picked;
    },
  };
}

const SEARCH_RESULTS = 50;
const PROGRESS_AFTER_MS = 400;

export function searchSessionsCommand(deps: SessionCommandDeps): CommandSpec {
  let lastQuery = '';
  return {
    id: 'multichat.searchSessions',
    failure: 'search the sessions',
    // (query?, { pick: false }) returns the matches without showing them, for scripts.
    run: async (queryArg?: unknown, optionsValue?: unknown): Promise<SessionRef[] | SessionRef | undefined> => {
      const query = stringArg(queryArg) ?? (await askQuery(lastQuery));
      if (query === undefined || query.trim().length === 0) {
        return undefined;
      }
      lastQuery = query;
      const found = await searchWithProgress(deps, query);
      if (found === undefined) {
        return undefined; // cancelled
      }
      if (optionsArg<{ pick: boolean }>(optionsValue).pick === false) {
        return found.map((each) => each.ref);
      }
      if (found.length === 0) {
        void vscode.window.showInformationMessage(`Multichat: no session matches "${query}".`);
        return undefined;
      }
      const now = new Date();
      const picked = await vscode.window.showQuickPick(
        found.map((each) => hitPickItem(deps.catalog, each, now)),
        { placeHolder: `${found.length} result(s) for "${query}"`, matchOnDescription: true, matchOnDetail: true },
      );
      if (picked) {
        await openSessionRef(picked.ref);
      }
      return picked?.ref;
    },
  };
}

/**
 * Most searches answer at once; one that takes longer (a big store) shows a notification with a
 * Cancel button after a moment. Undefined when cancelled.
 */
async function searchWithProgress(deps: SessionCommandDeps, query: string): Promise<FolderHit[] | undefined> {
  const abort = new AbortController();
  const search = searchAllFolders(deps.catalog, deps.logger, query, SEARCH_RESULTS, abort.signal);
  const quick = await Promise.race([search, delay(PROGRESS_AFTER_MS, undefined)]);
  if (quick) {
    return quick;
  }
  const options = { location: vscode.ProgressLocation.Notification, title: `Searching sessions for "${query}"…`, cancellable: true };
  return vscode.window.withProgress(options, async (_progress, token) => {
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const found = await search;
      return abort.signal.aborted ? undefined : found;
    } finally {
      cancelled.dispose();
    }
  });
}

function askQuery(lastQuery: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Search Sessions',
    prompt: 'Find sessions whose title or messages contain every word',
    value: lastQuery,
    validateInput: (value) => (value.trim().length === 0 ? 'Type at least one word.' : undefined),
  });
}
