import * as vscode from 'vscode';
import { SessionRef, isSessionRef } from '../sessionRef';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, stringArg } from './commandRunner';
import { openSessionRef } from './createCommands';
import { findMessages } from './searchAll';
import { parseSearchQuery } from '../../core/searchQuery';

// Open Session… and Search Sessions… are one picker (quickOpen.ts), as Go to File and its text
// search are one box in VS Code: Open Session starts on the recent sessions, Search Sessions on
// the last search. Both match titles at once and list every matching message as you type.

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
      const initialQuery = stringArg(optionsArg<{ query: string }>(arg).query);
      const picked = await deps.searches.show(deps.catalog, deps.logger, { title: vscode.l10n.t('Open Session'), initialQuery });
      if (picked) {
        await openSessionRef(picked);
      }
      return picked;
    },
  };
}

export function searchSessionsCommand(deps: SessionCommandDeps): CommandSpec {
  let lastQuery = '';
  return {
    id: 'multichat.searchSessions',
    failure: 'search the sessions',
    // (query?, { pick: false }) returns every match (a message, or a session by its title) without showing them, for scripts.
    run: async (queryArg?: unknown, optionsValue?: unknown): Promise<SessionRef[] | SessionRef | undefined> => {
      const query = stringArg(queryArg);
      if (query !== undefined && optionsArg<{ pick: boolean }>(optionsValue).pick === false) {
        return matchRefs(deps, query);
      }
      await deps.catalog.whenIdle();
      const picker = deps.searches.show(deps.catalog, deps.logger, { title: vscode.l10n.t('Search Sessions'), initialQuery: query ?? lastQuery });
      const picked = await picker;
      lastQuery = deps.searches.lastValue ?? lastQuery;
      if (picked) {
        await openSessionRef(picked);
      }
      return picked;
    },
  };
}

async function matchRefs(deps: SessionCommandDeps, text: string): Promise<SessionRef[]> {
  const query = parseSearchQuery(text);
  if (query.words.length === 0) {
    return [];
  }
  await deps.catalog.whenIdle();
  const found = await findMessages(deps.catalog, deps.logger, query, new AbortController().signal);
  return found.flatMap((session) => [
    ...(session.titleMatches ? [{ folder: session.entry.folder.uri, sessionId: session.entry.summary.id }] : []),
    ...session.messages.map((message) => message.ref),
  ]);
}
