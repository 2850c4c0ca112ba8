import * as vscode from 'vscode';
import { ChatTestApi, registerChat } from './chat/registerChat';
import { Logger } from './logger';
import { SessionStatusBar, registerStatusMenu } from './statusBar';
import { SessionsViewApi, registerSessionsView } from './tree/sessionsView';
import { registerVerifyCommand } from './verifyCommand';
import { WorkspaceStores } from './workspaceStores';

/** What `activate` returns: hooks the integration tests use to look inside the running extension. */
export interface MultichatApi {
  sessionsView: SessionsViewApi;
  chat: ChatTestApi;
}

/** Wires the extension: builds the services and registers every command, view and item. */
export async function activate(context: vscode.ExtensionContext): Promise<MultichatApi> {
  const logger = new Logger();
  const stores = new WorkspaceStores(logger);
  const statusBar = new SessionStatusBar(stores);
  context.subscriptions.push(
    logger,
    stores,
    statusBar,
    registerVerifyCommand(stores, logger),
    registerStatusMenu(),
    vscode.commands.registerCommand('multichat.showLog', () => logger.show()),
  );
  const sessionsView = registerSessionsView({ context, stores, logger });
  const chat = registerChat({ context, stores, logger });
  await statusBar.attach().catch((error: unknown) => logger.error('activate', 'could not open the session store', error));
  return { sessionsView: sessionsView.api, chat: chat.api };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
