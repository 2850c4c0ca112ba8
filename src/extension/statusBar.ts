import * as vscode from 'vscode';
import { StoreAccessMonitor } from './health/storeAccessMonitor';
import { registerCommandSpec } from './commands/commandRunner';
import { DisposableObject } from './lifecycle';
import { Logger } from './logger';
import { WorkspaceStores, storeSpecForFolder } from './workspaceStores';

// Shows the backend and how many sessions the workspace holds. Store changes arrive in bursts
// (a streamed reply updates its message several times a second), so recounting is debounced.
// A read-only store shows a lock and says so in the tooltip. Clicking opens a quick menu.

const REFRESH_DELAY_MS = 300;

export class SessionStatusBar extends DisposableObject {
  private readonly item = this._register(vscode.window.createStatusBarItem('multichat.status', vscode.StatusBarAlignment.Left, 50));
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly access: StoreAccessMonitor,
  ) {
    super();
    this.item.name = 'Multichat Sessions';
    this.item.command = 'multichat.statusMenu';
    this._register(stores.onDidChangeStores(() => this.scheduleRefresh()));
    this._register(stores.onDidChangeSessions(() => this.scheduleRefresh()));
    this._register(access.onDidChange(() => this.scheduleRefresh()));
    this._register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) {
      clearTimeout(this.refreshTimer);
    }
    this.refreshTimer = setTimeout(() => void this.refresh().catch(() => undefined), REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    const folders = this.stores.folders();
    if (folders.length === 0) {
      this.item.hide();
      return;
    }
    let count = 0;
    for (const folder of folders) {
      count += (await (await this.stores.storeFor(folder)).list()).length;
    }
    const backend = storeSpecForFolder(folders[0]).kind === 'sqlite' ? 'SQLite' : 'JSON';
    const readOnly = this.access.readOnlyFolders().map((folder) => ` The store of ${folder.name} is read-only (${folder.reason}).`);
    this.item.text = `$(comment-discussion) ${count}${readOnly.length > 0 ? ' $(lock)' : ''}`;
    this.item.tooltip = `Multichat: ${count} session(s) in ${backend} storage.${readOnly.join('')} Click for actions.`;
    this.item.show();
  }

}

const MENU: { label: string; command: string }[] = [
  { label: '$(add) New Session…', command: 'multichat.newSession' },
  { label: '$(comment-discussion) Open Session…', command: 'multichat.quickOpenSession' },
  { label: '$(search) Search Sessions…', command: 'multichat.searchSessions' },
  { label: '$(database) Switch Storage Backend…', command: 'multichat.switchStorageBackend' },
  { label: '$(pass) Verify Store', command: 'multichat.verifyStore' },
  { label: '$(output) Show Log', command: 'multichat.showLog' },
];

export function registerStatusMenu(logger: Logger): vscode.Disposable {
  return registerCommandSpec(logger, {
    id: 'multichat.statusMenu',
    failure: 'open the Multichat menu',
    run: async () => {
      const choice = await vscode.window.showQuickPick(MENU, { placeHolder: 'Multichat Sessions' });
      if (choice) {
        await vscode.commands.executeCommand(choice.command);
      }
    },
  });
}
