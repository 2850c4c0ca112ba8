import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { writeRefusal } from '../../stores/fs/ioErrors';
import { Logger } from '../logger';
import { DisposableObject } from '../lifecycle';
import { WorkspaceStores } from '../workspaceStores';

/** How often access is re-checked while something showing it is on screen: one access(2) per store. */
const VISIBLE_CHECK_MS = 2_000;
/** Store changes come in bursts (a streamed reply); one check after the burst is enough. */
const CHANGE_CHECK_DELAY_MS = 100;

export interface ReadOnlyFolder {
  /** The workspace folder's URI, as a string. */
  uri: string;
  name: string;
  reason: string;
}

/**
 * Whether each workspace folder's store can be written, for the Sessions view, the status bar
 * and the chat tabs. A remount or a permission change sends no event, so access is re-checked
 * when the store changes or reopens, after a write the file system refused, on request, and
 * every few seconds while something that shows it is visible (`watch`).
 */
export class StoreAccessMonitor extends DisposableObject {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when a folder's store becomes read-only or writable again. */
  readonly onDidChange = this._onDidChange.event;
  private readOnly = new Map<string, ReadOnlyFolder>();
  /** The last failure to check each folder, logged once rather than at every poll. */
  private readonly failures = new Map<string, string>();
  private checking: Promise<void> = Promise.resolve();
  private changeTimer: NodeJS.Timeout | undefined;
  private visibleTimer: NodeJS.Timeout | undefined;
  private watchers = 0;

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly logger: Logger,
  ) {
    super();
    this._register(stores.onDidChangeStores(() => void this.check()));
    this._register(stores.onDidChangeSessions(() => this.checkSoon()));
    this._register({ dispose: () => this.stopTimers() });
  }

  /** Why the folder's store cannot be written, or undefined when it can (or is not known yet). */
  readOnlyReason(folderUri: string): string | undefined {
    return this.readOnly.get(folderUri)?.reason;
  }

  readOnlyFolders(): ReadOnlyFolder[] {
    return [...this.readOnly.values()];
  }

  /** Asks every folder's store again; resolves once the answer is in (and announced if it changed). */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.checkNow());
    return this.checking;
  }

  /** A write failed: if the file system refused it, the store may have become read-only. */
  async noteWriteFailure(error: unknown): Promise<void> {
    if (writeRefusal(error) === 'read-only') {
      await this.check();
    }
  }

  /** Keeps access checked every few seconds until the returned handle is disposed (a visible view or tab). */
  watch(): vscode.Disposable {
    this.watchers++;
    if (this.visibleTimer === undefined) {
      this.visibleTimer = setInterval(() => void this.check(), VISIBLE_CHECK_MS);
      void this.check();
    }
    let released = false;
    return {
      dispose: () => {
        if (released) {
          return;
        }
        released = true;
        if (--this.watchers === 0) {
          clearInterval(this.visibleTimer);
          this.visibleTimer = undefined;
        }
      },
    };
  }

  private checkSoon(): void {
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = undefined;
      void this.check();
    }, CHANGE_CHECK_DELAY_MS);
  }

  private async checkNow(): Promise<void> {
    if (this.isDisposed) {
      return;
    }
    const next = new Map<string, ReadOnlyFolder>();
    for (const folder of this.stores.folders()) {
      const uri = folder.uri.toString();
      try {
        const access = await (await this.stores.storeFor(folder)).access();
        this.failures.delete(uri);
        if (!access.writable) {
          next.set(uri, { uri, name: folder.name, reason: access.reason });
        }
      } catch (error) {
        this.noteCheckFailure(uri, folder.name, error);
        const known = this.readOnly.get(uri);
        if (known) {
          next.set(uri, known); // no new answer: keep the last one
        }
      }
    }
    if (!sameFolders(this.readOnly, next)) {
      this.logChanges(next);
      this.readOnly = next;
      this._onDidChange.fire();
    }
  }

  private noteCheckFailure(uri: string, name: string, error: unknown): void {
    const reason = describeError(error);
    if (this.failures.get(uri) !== reason) {
      this.failures.set(uri, reason);
      this.logger.warn('access', `could not check whether the store of ${name} is writable: ${reason}`);
    }
  }

  private logChanges(next: ReadonlyMap<string, ReadOnlyFolder>): void {
    for (const [uri, folder] of this.readOnly) {
      if (!next.has(uri)) {
        this.logger.info('access', `the store of ${folder.name} can be written again`);
      }
    }
    next.forEach((folder) => this.logger.warn('access', `the store of ${folder.name} is read-only: ${folder.reason}`));
  }

  private stopTimers(): void {
    clearTimeout(this.changeTimer);
    clearInterval(this.visibleTimer);
  }
}

function sameFolders(a: ReadonlyMap<string, ReadOnlyFolder>, b: ReadonlyMap<string, ReadOnlyFolder>): boolean {
  return a.size === b.size && [...a].every(([uri, folder]) => b.get(uri)?.reason === folder.reason);
}

/** Holds a `watch` on the monitor while `isVisible()` says so; call `update` when visibility changes. */
export class AccessWatchWhileVisible implements vscode.Disposable {
  private handle: vscode.Disposable | undefined;

  constructor(
    private readonly monitor: StoreAccessMonitor,
    private readonly isVisible: () => boolean,
  ) {
    this.update();
  }

  update(): void {
    if (this.isVisible()) {
      this.handle ??= this.monitor.watch();
    } else {
      this.handle?.dispose();
      this.handle = undefined;
    }
  }

  dispose(): void {
    this.handle?.dispose();
    this.handle = undefined;
  }
}
