import * as vscode from 'vscode';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, registerCommandSpec } from './commandRunner';
import { newSessionCommand, renameSessionCommand } from './createCommands';
import { deleteSessionCommand, pinCommand } from './editCommands';
import { copyAsMarkdownCommand, exportSessionsCommand } from './exportCommands';
import { quickOpenSessionCommand, searchSessionsCommand } from './openCommands';
import { clearSourceFilterCommand, filterBySourceCommand } from './sourceFilterCommands';
import { switchBackendCommand } from './switchBackendCommand';
import { addTagCommand, clearTagFilterCommand, filterByTagCommand, removeTagCommand } from './tagCommands';
import { collapseAllCommand, groupByCommand, refreshCommand, showMoreCommand } from './viewCommands';

/** Every command of the Sessions view and the palette, behind the error boundary. */
export function sessionCommandSpecs(deps: SessionCommandDeps): CommandSpec[] {
  return [
    newSessionCommand(deps),
    quickOpenSessionCommand(deps),
    searchSessionsCommand(deps),
    renameSessionCommand(deps),
    deleteSessionCommand(deps),
    pinCommand(deps, true),
    pinCommand(deps, false),
    addTagCommand(deps),
    removeTagCommand(deps),
    filterByTagCommand(deps),
    clearTagFilterCommand(deps),
    filterBySourceCommand(deps),
    clearSourceFilterCommand(deps),
    groupByCommand(deps, 'tag'),
    groupByCommand(deps, 'date'),
    exportSessionsCommand(deps),
    copyAsMarkdownCommand(deps),
    refreshCommand(deps),
    collapseAllCommand(deps),
    showMoreCommand(deps),
    switchBackendCommand(deps),
  ];
}

export function registerSessionCommands(deps: SessionCommandDeps): vscode.Disposable[] {
  // A write the file system refused may mean the store just became read-only: show it as such.
  const onFailure = (error: unknown): void => void deps.access.noteWriteFailure(error);
  return sessionCommandSpecs(deps).map((spec) => registerCommandSpec(deps.logger, spec, onFailure));
}
