import * as vscode from 'vscode';
import { Logger } from './logger';
import { SessionStatusBar } from './statusBar';
import { registerVerifyCommand } from './verifyCommand';
import { WorkspaceStores } from './workspaceStores';

/** Wires the extension: builds the services and registers every command, view and item. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const logger = new Logger();
  const stores = new WorkspaceStores(logger);
  const statusBar = new SessionStatusBar(stores);
  context.subscriptions.push(
    logger,
    stores,
    statusBar,
    registerVerifyCommand(stores, logger),
    vscode.commands.registerCommand('multichat.showLog', () => logger.show()),
  );
  await statusBar.attach().catch((error: unknown) => logger.error('activate', 'could not open the session store', error));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
