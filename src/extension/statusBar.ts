import * as vscode from 'vscode';
import { Disposable } from '../core/store';
import { WorkspaceStores, storeSpecForFolder } from './workspaceStores';

/** Shows the backend and how many sessions the workspace holds; refreshes on store changes. */
export class SessionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('multichat.status', vscode.StatusBarAlignment.Left, 50);
  private storeListeners: Disposable[] = [];
  private readonly storesListener: vscode.Disposable;

  constructor(private readonly stores: WorkspaceStores) {
    this.item.name = 'Multichat Sessions';
    this.item.command = 'multichat.verifyStore';
    this.storesListener = stores.onDidChangeStores(() => void this.attach());
  }

  async attach(): Promise<void> {
    this.storeListeners.forEach((listener) => listener.dispose());
    this.storeListeners = [];
    for (const folder of this.stores.folders()) {
      const store = await this.stores.storeFor(folder);
      this.storeListeners.push(store.onDidChange(() => void this.refresh()));
    }
    await this.refresh();
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
    this.item.text = `$(comment-discussion) ${count}`;
    this.item.tooltip = `Multichat: ${count} session(s) in ${backend} storage. Click to verify the store.`;
    this.item.show();
  }

  dispose(): void {
    this.storeListeners.forEach((listener) => listener.dispose());
    this.storesListener.dispose();
    this.item.dispose();
  }
}
