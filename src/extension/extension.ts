import * as vscode from 'vscode';
import { ChatTestApi, registerChat } from './chat/registerChat';
import { registerCommandSpec } from './commands/commandRunner';
import { StoreAccessMonitor } from './health/storeAccessMonitor';
import { registerVerifyCommand } from './health/verifyStoreCommand';
import { StrayStoreNotifier } from './health/strayStoreNotifier';
import { StoreWarningNotifier } from './health/warningNotifier';
import { ImportsTestApi, registerImports } from './import/registerImports';
import { Logger } from './logger';
import { RecallTestApi, registerRecall } from './recall/registerRecall';
import { SharingTestApi, registerSharing } from './sharing/registerSharing';
import { TeamConnection } from './sharing/teamConnection';
import { SearchIndexProgress } from './searchIndexProgress';
import { SessionStatusBar, registerStatusMenu } from './statusBar';
import { SessionsViewApi, registerSessionsView } from './tree/sessionsView';
import { WorkspaceStores } from './workspaceStores';

/**
 * What `activate` returns in test mode only: hooks the integration tests use to look inside the running
 * extension. Any extension can call what `activate` returns, so an installed copy returns nothing.
 */
export interface MultichatTestApi {
  sessionsView: SessionsViewApi;
  chat: ChatTestApi;
  sharing: SharingTestApi;
  imports: ImportsTestApi;
  recall: RecallTestApi;
}

/** Closed on deactivate, which VS Code awaits (it disposes the subscriptions after, without waiting). */
let activeStores: WorkspaceStores | undefined;

/** Wires the extension: builds the services and registers every command, view and item. */
export async function activate(context: vscode.ExtensionContext): Promise<MultichatTestApi | undefined> {
  const logger = new Logger();
  const team = new TeamConnection(context, logger);
  const stores = new WorkspaceStores(logger, team);
  activeStores = stores;
  const access = new StoreAccessMonitor(stores, logger);
  const health = { stores, logger, access };
  const statusBar = new SessionStatusBar(stores, access, logger);
  const strayStores = new StrayStoreNotifier(stores, logger);
  const searchIndex = new SearchIndexProgress(stores, logger);
  context.subscriptions.push(
    logger,
    team,
    stores,
    access,
    new StoreWarningNotifier(health),
    strayStores,
    searchIndex,
    statusBar,
    registerVerifyCommand(health),
    registerStatusMenu(logger),
    registerCommandSpec(logger, { id: 'multichat.showLog', failure: 'show the log', run: async () => logger.show() }),
  );
  const sessionsView = registerSessionsView({ context, stores, access, logger });
  const chat = registerChat({ context, stores, access, logger });
  sessionsView.followActiveSession(chat.onDidChangeActiveSession);
  const sharing = registerSharing({ context, stores, team, catalog: sessionsView.catalog, logger });
  const imports = registerImports({ context, catalog: sessionsView.catalog, access, logger });
  const recall = registerRecall({ context, catalog: sessionsView.catalog, logger });
  await statusBar.refresh().catch((error: unknown) => logger.error('activate', 'could not open the session store', error));
  void access.check();
  strayStores.check();
  imports.start();
  searchIndex.prepareSoon();
  // ExtensionMode.Test: loaded from a development path with extensionTestsPath set (the test harnesses).
  return context.extensionMode === vscode.ExtensionMode.Test ? { sessionsView: sessionsView.api, chat: chat.api, sharing, imports: imports.api, recall } : undefined;
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; closing the stores is worth waiting for.
  await activeStores?.closeStores();
  activeStores = undefined;
}
