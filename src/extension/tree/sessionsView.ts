import * as vscode from 'vscode';
import { registerSessionCommands } from '../commands/registerCommands';
import { StoreAccessMonitor } from '../health/storeAccessMonitor';
import { Logger } from '../logger';
import { WorkspaceStores } from '../workspaceStores';
import { SessionsNode } from './nodes';
import { SessionCatalog } from './sessionCatalog';
import { SessionsTreeProvider } from './sessionsTreeProvider';
import { TreeSnapshot, takeTreeSnapshot } from './treeSnapshot';
import { SessionsViewController } from './viewController';
import { SESSIONS_VIEW_ID } from './viewIds';
import { SessionsViewState } from './viewState';

export interface SessionsViewDeps {
  context: vscode.ExtensionContext;
  stores: WorkspaceStores;
  access: StoreAccessMonitor;
  logger: Logger;
}

/** For integration tests: `activate` exports it as `sessionsView` in ExtensionMode.Test only (extension.ts). */
export interface SessionsViewApi {
  /**
   * The groups and items the view shows, after any scheduled reload has run — or, with
   * `{ settle: false }`, as they are right now (to check that reloads happen by themselves).
   */
  getTreeSnapshot(options?: { settle?: boolean }): Promise<TreeSnapshot>;
  /** Resolves once no reload of the session lists is scheduled or running. */
  whenIdle(): Promise<void>;
}

export interface SessionsViewRegistration extends vscode.Disposable {
  api: SessionsViewApi;
}

/**
 * Creates the Sessions view and registers its commands. Everything created is pushed to
 * `context.subscriptions`; the returned object can also dispose it all early (harmless twice).
 */
export function registerSessionsView(deps: SessionsViewDeps): SessionsViewRegistration {
  const { context, stores, access, logger } = deps;
  const catalog = new SessionCatalog(stores, logger);
  const state = new SessionsViewState(context.workspaceState);
  const provider = new SessionsTreeProvider(catalog, state, logger);
  const treeView = vscode.window.createTreeView<SessionsNode>(SESSIONS_VIEW_ID, {
    treeDataProvider: provider,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const controller = new SessionsViewController(catalog, state, provider, treeView, access);
  const commands = registerSessionCommands({ catalog, state, provider, treeView, stores, access, logger });
  // Disposed in this order: listeners and commands before what they use.
  const disposables: vscode.Disposable[] = [controller, ...commands, treeView, provider, state, catalog];
  context.subscriptions.push(...disposables);
  void state.publishContextKeys();
  void catalog.attach();
  const api: SessionsViewApi = {
    getTreeSnapshot: async (options) => {
      if (options?.settle !== false) {
        await catalog.whenIdle();
      }
      return takeTreeSnapshot(provider, controller);
    },
    whenIdle: () => catalog.whenIdle(),
  };
  const dispose = (): void => {
    for (const disposable of disposables) {
      disposable.dispose();
    }
  };
  return { api, dispose };
}
