import * as vscode from 'vscode';
import { SessionSummary } from '../../core/model';
import { SessionRef } from '../sessionRef';
import { sessionCount } from '../tree/counts';
import { countOf } from '../tree/relativeTime';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg } from './commandRunner';
import { resolveTargets } from './targets';

/** Delete, Pin and Unpin: act on one session or a multi-selection. */
export function deleteSessionCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.deleteSession',
    failure: 'delete the session',
    run: async (...args: unknown[]): Promise<number> => {
      const refs = await resolveTargets(deps.catalog, args, { placeHolder: 'Delete which session?' });
      // Scripts may pass { confirm: false } as the second argument.
      const confirm = optionsArg<{ confirm: boolean }>(args[1]).confirm !== false;
      if (!refs || (confirm && !(await confirmDelete(deps, refs)))) {
        return 0;
      }
      let deleted = 0;
      for (const ref of refs) {
        deleted += (await (await deps.catalog.storeFor(ref.folder)).delete(ref.sessionId)) ? 1 : 0;
      }
      deps.logger.info('commands', `deleted ${countOf(deleted, 'session')}`);
      return deleted;
    },
  };
}

async function confirmDelete(deps: SessionCommandDeps, refs: SessionRef[]): Promise<boolean> {
  const title = refs.length === 1 ? deps.catalog.find(refs[0])?.summary.title : undefined;
  const question = title === undefined ? `Delete ${sessionCount(refs.length)}?` : `Delete the session "${title}"?`;
  const choice = await vscode.window.showWarningMessage(
    question,
    { modal: true, detail: 'The messages are removed from the session store. This cannot be undone.' },
    'Delete',
  );
  return choice === 'Delete';
}

export function pinCommand(deps: SessionCommandDeps, pinned: boolean): CommandSpec {
  return {
    id: pinned ? 'multichat.pinSession' : 'multichat.unpinSession',
    failure: pinned ? 'pin the session' : 'unpin the session',
    run: async (...args: unknown[]): Promise<SessionSummary[] | undefined> => {
      const refs = await resolveTargets(deps.catalog, args, {
        placeHolder: pinned ? 'Pin which session?' : 'Unpin which session?',
        filter: (entry) => entry.summary.pinned !== pinned,
      });
      if (!refs) {
        return undefined;
      }
      const updated: SessionSummary[] = [];
      for (const ref of refs) {
        updated.push(await (await deps.catalog.storeFor(ref.folder)).update(ref.sessionId, { pinned }));
      }
      return updated;
    },
  };
}
