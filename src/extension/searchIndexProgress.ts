import * as vscode from 'vscode';
import { DisposableObject } from './lifecycle';
import { Logger } from './logger';
import { FolderIndexProgress, WorkspaceStores } from './workspaceStores';

// The search index of a folder's store is built the first time the folder's sessions are opened
// in this window (in the background: the store yields between sessions, so nothing waits on it),
// and shown in the status bar while it builds, with how far it has got. Small catch-ups (a few
// sessions changed elsewhere) show nothing.

/** Catch-ups of fewer sessions than this are not worth a progress indicator. */
const SHOW_FROM_SESSIONS = 200;
/** How long after the window settles the index starts building. */
const PREPARE_AFTER_MS = 1_500;

interface Shown {
  progress: vscode.Progress<{ message?: string; increment?: number }>;
  done: () => void;
  reported: number;
}

export class SearchIndexProgress extends DisposableObject {
  private readonly shown = new Map<string, Shown>();

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly logger: Logger,
  ) {
    super();
    this._register(stores.onDidIndex((event) => this.receive(event)));
    this._register({ dispose: () => this.shown.forEach((shown) => shown.done()) });
  }

  /** Starts building every folder's index in the background, once the window has settled. */
  prepareSoon(): void {
    const timer = setTimeout(() => void this.prepareAll(), PREPARE_AFTER_MS);
    this._register({ dispose: () => clearTimeout(timer) });
  }

  private async prepareAll(): Promise<void> {
    for (const folder of this.stores.folders()) {
      if (this.isDisposed) {
        return;
      }
      try {
        await (await this.stores.storeFor(folder)).prepareSearch?.();
      } catch (error) {
        this.logger.warn('search', `could not build the search index of ${folder.name}: ${String(error)}`);
      }
    }
  }

  private receive({ folder, progress }: FolderIndexProgress): void {
    const key = folder.uri.toString();
    let shown = this.shown.get(key);
    if (!shown && progress.done < progress.total && progress.total >= SHOW_FROM_SESSIONS && !this.isDisposed) {
      shown = this.show(folder);
      this.shown.set(key, shown);
    }
    if (!shown) {
      return;
    }
    const percent = Math.floor((100 * progress.done) / Math.max(1, progress.total));
    shown.progress.report({ message: vscode.l10n.t('{0} of {1} sessions', progress.done.toLocaleString(), progress.total.toLocaleString()), increment: percent - shown.reported });
    shown.reported = percent;
    if (progress.done >= progress.total) {
      shown.done();
      this.shown.delete(key);
    }
  }

  private show(folder: vscode.WorkspaceFolder): Shown {
    let finished = false;
    let done = (): void => {
      finished = true;
    };
    const shown: Shown = { progress: { report: () => undefined }, done: () => done(), reported: 0 };
    const title = this.stores.folders().length > 1 ? vscode.l10n.t('Indexing sessions of {0} for search', folder.name) : vscode.l10n.t('Indexing sessions for search');
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, (progress) => {
      shown.progress = progress;
      return finished ? Promise.resolve() : new Promise<void>((resolve) => (done = resolve));
    });
    return shown;
  }
}
