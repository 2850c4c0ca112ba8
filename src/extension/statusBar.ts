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
    private readonly logger: Logger,
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
    // Each folder is counted alone: one whose store cannot open is named in the tooltip, the others still count.
    const counts = await Promise.all(folders.map((folder) => this.countFolder(folder)));
    const total = counts.reduce((sum, each) => sum + (each.count ?? 0), 0);
    const failed = counts.some((each) => each.count === undefined);
    const readOnly = this.access.readOnlyFolders().map((folder) => vscode.l10n.t('The store of {0} is read-only ({1}).', folder.name, folder.reason));
    this.item.text = `$(comment-discussion) ${total}${readOnly.length > 0 ? ' $(lock)' : ''}${failed ? ' $(warning)' : ''}`;
    this.item.tooltip = [...describeCounts(counts), ...readOnly, vscode.l10n.t('Click for actions.')].join('\n');
    this.item.show();
  }

  private async countFolder(folder: vscode.WorkspaceFolder): Promise<FolderCount> {
    const backend = storeSpecForFolder(folder).kind === 'sqlite' ? 'SQLite' : 'JSON';
    try {
      return { folder, backend, count: (await (await this.stores.storeFor(folder)).list()).length };
    } catch (error) {
      this.logger.error('status', `could not count the sessions of ${folder.name}`, error);
      return { folder, backend, count: undefined };
    }
  }
}

interface FolderCount {
  folder: vscode.WorkspaceFolder;
  backend: 'JSON' | 'SQLite';
  /** undefined: the folder's store could not be opened or listed (the log has why). */
  count: number | undefined;
}

/** One line per folder, each with its own backend; a single folder reads as one sentence. */
function describeCounts(counts: readonly FolderCount[]): string[] {
  return counts.map(({ folder, backend, count }) => {
    const what = count === undefined ? vscode.l10n.t('its {0} store could not be opened (see the log).', backend) : sessionsIn(count, backend);
    return counts.length === 1 ? `Multichat: ${what}` : `${folder.name}: ${what}`;
  });
}

/** "1 session in JSON storage." / "4 sessions in SQLite storage." */
function sessionsIn(count: number, backend: string): string {
  return count === 1
    ? vscode.l10n.t('{0} session in {1} storage.', count.toLocaleString(), backend)
    : vscode.l10n.t('{0} sessions in {1} storage.', count.toLocaleString(), backend);
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
