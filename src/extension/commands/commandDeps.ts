import * as vscode from 'vscode';
import { StoreAccessMonitor } from '../health/storeAccessMonitor';
import { Logger } from '../logger';
import { SessionsNode } from '../tree/nodes';
import { SessionCatalog } from '../tree/sessionCatalog';
import { SessionsTreeProvider } from '../tree/sessionsTreeProvider';
import { SessionsViewState } from '../tree/viewState';
import { WorkspaceStores } from '../workspaceStores';
import { SearchPickers } from './quickOpen';

/** What the session commands work with. */
export interface SessionCommandDeps {
  catalog: SessionCatalog;
  state: SessionsViewState;
  provider: SessionsTreeProvider;
  treeView: vscode.TreeView<SessionsNode>;
  stores: WorkspaceStores;
  access: StoreAccessMonitor;
  logger: Logger;
  searches: SearchPickers;
}
