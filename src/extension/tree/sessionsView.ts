import * as vscode from 'vscode';
import { SearchPickerHandle, SearchPickers } from '../commands/quickOpen';
import { registerSessionCommands } from '../commands/registerCommands';
import { StoreAccessMonitor } from '../health/storeAccessMonitor';
import { Logger } from '../logger';
import { WorkspaceStores } from '../workspaceStores';
import { SessionRef } from '../sessionRef';
import { ActiveSessionFollower } from './activeSessionFollower';
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
  /** The sessions selected in the view. */
  selectedRefs(): SessionRef[];
  /** The tooltip's Markdown source, as hovering the session's item would resolve it. */
  tooltipFor(ref: SessionRef): Promise<string | undefined>;
  /** Expands a group as clicking its twistie would. */
  expandGroup(groupId: string): Promise<void>;
  /** The search picker open now (Open Session / Search Sessions), if any. */
  searchPicker(): SearchPickerHandle | undefined;
}

export interface SessionsViewRegistration extends vscode.Disposable {
  api: SessionsViewApi;
  /** The sessions the view lists, for other views' commands (sharing) to pick from. */
  catalog: SessionCatalog;
  /** Keeps the view's selection on the session of the active chat tab. */
  followActiveSession(onDidActivate: vscode.Event<SessionRef>): vscode.Disposable;
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
  const follower = new ActiveSessionFollower(provider, treeView, logger);
  const searches = new SearchPickers();
  const commands = registerSessionCommands({ catalog, state, provider, treeView, stores, access, logger, searches });
  // Disposed in this order: listeners and commands before what they use.
  const disposables: vscode.Disposable[] = [follower, controller, ...commands, treeView, provider, state, catalog];
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
    selectedRefs: () => treeView.selection.flatMap((node) => (node.kind === 'session' ? [node.ref] : [])),
    tooltipFor: async (ref) => {
      const node = await provider.nodeFor(ref);
      const item = node && (await provider.resolveTreeItem(provider.getTreeItem(node), node, new vscode.CancellationTokenSource().token));
      return item?.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : undefined;
    },
    expandGroup: async (groupId) => {
      const group = (await provider.getChildren()).find((node) => node.kind === 'group' && node.group.id === groupId);
      if (!group) {
        throw new Error(`no group ${groupId} in the Sessions view`);
      }
      await treeView.reveal(group, { expand: true, select: false, focus: false });
    },
    searchPicker: () => searches.current,
  };
  const dispose = (): void => {
    for (const disposable of disposables) {
      disposable.dispose();
    }
  };
  const followActiveSession = (onDidActivate: vscode.Event<SessionRef>): vscode.Disposable => {
    const following = follower.follow(onDidActivate);
    context.subscriptions.push(following);
    return following;
  };
  return { api, catalog, dispose, followActiveSession };
}
