import * as vscode from 'vscode';
import { registerCommandSpec } from '../commands/commandRunner';
import { Logger } from '../logger';
import { SessionCatalog } from '../tree/sessionCatalog';
import { WorkspaceStores } from '../workspaceStores';
import { connectCommand, disconnectCommand, setPasswordCommand, sharingMenuCommand, syncNowCommand } from './connectionCommands';
import { openSharedSessionCommand, shareSessionCommand, stopSharingCommand } from './shareCommands';
import { SHARED_VIEW_ID, SharedNode, SharedTreeProvider, SharedViewState } from './sharedTreeProvider';
import { SharingNotifier } from './sharingNotifier';
import { SharingStatusBar, TeamStatus } from './sharingStatusBar';
import { TeamConnection } from './teamConnection';

export interface SharingDeps {
  context: vscode.ExtensionContext;
  stores: WorkspaceStores;
  team: TeamConnection;
  catalog: SessionCatalog;
  logger: Logger;
}

/** For integration tests (returned by `activate` in ExtensionMode.Test only). */
export interface SharingTestApi {
  sharedView(): Promise<{ state: SharedViewState | undefined; nodes: SharedNode[] }>;
  status(): Promise<TeamStatus>;
}

/** The Shared view, the sharing status bar item, its notifications and commands; all pushed to context.subscriptions. */
export function registerSharing(deps: SharingDeps): SharingTestApi {
  const { context, stores, team, catalog, logger } = deps;
  const shared = new SharedTreeProvider(stores, logger);
  const treeView = vscode.window.createTreeView(SHARED_VIEW_ID, { treeDataProvider: shared, showCollapseAll: false });
  const statusBar = new SharingStatusBar(stores, team);
  const specs = [
    shareSessionCommand({ stores, catalog, shared }),
    stopSharingCommand({ stores, catalog, shared }),
    openSharedSessionCommand({ stores, catalog, shared }),
    connectCommand({ stores, team }),
    disconnectCommand({ stores, team }),
    setPasswordCommand({ stores, team }),
    syncNowCommand({ stores, team }),
    sharingMenuCommand({ stores, team }),
  ];
  context.subscriptions.push(
    new SharingNotifier(stores, logger),
    ...specs.map((spec) => registerCommandSpec(logger, spec)),
    treeView,
    shared,
    statusBar,
  );
  void shared.refresh();
  void statusBar.refresh();
  return {
    sharedView: async () => {
      await shared.refresh();
      return shared.snapshot();
    },
    status: async () => {
      await statusBar.refresh();
      return statusBar.status();
    },
  };
}
