import * as vscode from 'vscode';
import { SessionRef } from '../sessionRef';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, stringArg } from './commandRunner';
import { openSessionRef } from './createCommands';
import { showSessionQuickOpen } from './quickOpen';
import { hitPickItem, searchAllFolders } from './searchAll';
import { isSessionRef } from './targets';

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
      const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Searching sessions' }, () =>
        searchAllFolders(deps.catalog, deps.logger, query, SEARCH_RESULTS),
      );
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

function askQuery(lastQuery: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Search Sessions',
    prompt: 'Find sessions whose title or messages contain every word',
    value: lastQuery,
    validateInput: (value) => (value.trim().length === 0 ? 'Type at least one word.' : undefined),
  });
}
