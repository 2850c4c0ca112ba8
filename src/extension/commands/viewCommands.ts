import * as vscode from 'vscode';
import { SESSIONS_VIEW_ID } from '../tree/viewIds';
import { SHOW_MORE_COMMAND } from '../tree/treeItems';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, stringArg } from './commandRunner';

/** Commands that change how the Sessions view shows things, not the sessions themselves. */
export function groupByCommand(deps: SessionCommandDeps, mode: 'date' | 'tag'): CommandSpec {
  return {
    id: mode === 'tag' ? 'multichat.groupSessionsByTag' : 'multichat.groupSessionsByDate',
    failure: 'regroup the sessions',
    run: () => deps.state.setGroupMode(mode),
  };
}

export function refreshCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.refreshSessions',
    failure: 'refresh the sessions',
    run: async () => {
      await Promise.all([deps.catalog.reloadAll(), deps.access.check()]);
    },
  };
}

export function collapseAllCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.collapseAllSessions',
    failure: 'collapse the sessions',
    run: async () => {
      // The view's own Collapse All action (showCollapseAll) is the one that knows the tree widget.
      try {
        await vscode.commands.executeCommand(`workbench.actions.treeView.${SESSIONS_VIEW_ID}.collapseAll`);
      } catch (error) {
        deps.logger.warn('commands', `built-in collapse failed, using list.collapseAll: ${String(error)}`);
        await vscode.commands.executeCommand(`${SESSIONS_VIEW_ID}.focus`);
        await vscode.commands.executeCommand('list.collapseAll');
      }
    },
  };
}

export function showMoreCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: SHOW_MORE_COMMAND,
    failure: 'show more sessions',
    run: async (groupId?: unknown) => {
      const id = stringArg(groupId);
      if (id !== undefined) {
        deps.provider.showMore(id);
      }
    },
  };
}
