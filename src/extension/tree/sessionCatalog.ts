import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { Disposable, SessionStore } from '../../core/store';
import { Logger } from '../logger';
import { SessionRef } from '../sessionRef';
import { WorkspaceStores } from '../workspaceStores';
import { HybridSessionStore } from '../../stores/shared/hybridStore';
import type { ShareMode } from '../../stores/shared/sharingRecords';
import { FolderInfo, SessionEntry, mergeNewestFirst, sameSummaries } from './grouping';
import { DisposableObject } from '../lifecycle';

const COMPONENT = 'sessions';
/** While the view is hidden only commands read the lists, so reload less eagerly. */
const HIDDEN_DEBOUNCE_MS = 750;

/**
 * The last list of session summaries of every workspace folder, kept fresh from the stores'
 * change events (including other processes' changes). Bursts of events are debounced into one
 * reload of just the folders that changed; reloads run one at a time.
 */
export class SessionCatalog extends DisposableObject {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires after the lists were reloaded. */
  readonly onDidChange = this._onDidChange.event;
  private readonly lists = new Map<string, SessionEntry[]>();
  private readonly failures = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private storeSubscriptions: Disposable[] = [];
  private merged: SessionEntry[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private running = 0;
  private generation = 0;
  private loadedOnce = false;
  private attaching: Promise<void> = Promise.resolve();
  private debounceMs: number;

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly logger: Logger,
    private readonly visibleDebounceMs = 150,
  ) {
    super();
    this.debounceMs = visibleDebounceMs;
    this._register(stores.onDidChangeStores(() => void this.attach()));
    this._register({ dispose: () => this.detach() });
  }

  get isLoaded(): boolean {
    return this.loadedOnce;
  }

  /** (Re)subscribes to every folder's store and reloads every list. */
  attach(): Promise<void> {
    this.attaching = this.subscribeAll().then(() => this.flush());
    return this.attaching;
  }

  /** Reload quickly while the view shows the lists, lazily while it is hidden. */
  setViewVisible(visible: boolean): void {
    this.debounceMs = visible ? this.visibleDebounceMs : HIDDEN_DEBOUNCE_MS;
  }

  /** Reloads every folder now, for the Refresh command. */
  reloadAll(): Promise<void> {
    this.stores.folders().forEach((folder) => this.dirty.add(folder.uri.toString()));
    return this.flush();
  }

  /** Resolves once no reload is scheduled or running. */
  async whenIdle(): Promise<void> {
    await this.attaching;
    while (this.timer !== undefined || this.running > 0) {
      await (this.timer !== undefined ? this.flush() : this.pending);
    }
  }

  folders(): FolderInfo[] {
    return this.stores.folders().map((folder) => ({ uri: folder.uri.toString(), name: folder.name }));
  }

  /** Every session of every folder, newest first. */
  entries(): SessionEntry[] {
    this.merged ??= mergeNewestFirst(this.stores.folders().map((folder) => this.lists.get(folder.uri.toString()) ?? []));
    return this.merged;
  }

  find(ref: SessionRef): SessionEntry | undefined {
    return this.lists.get(ref.folder)?.find((entry) => entry.summary.id === ref.sessionId);
  }

  /** Folders whose store could not be opened or listed, with the reason. */
  failedFolders(): { name: string; reason: string }[] {
    return this.folders()
      .filter((folder) => this.failures.has(folder.uri))
      .map((folder) => ({ name: folder.name, reason: this.failures.get(folder.uri) ?? '' }));
  }

  workspaceFolder(folderUri: string): vscode.WorkspaceFolder {
    return this.stores.requireFolder(folderUri);
  }

  storeFor(folderUri: string): Promise<SessionStore> {
    return this.stores.storeFor(this.workspaceFolder(folderUri));
  }

  private async subscribeAll(): Promise<void> {
    const generation = ++this.generation;
    this.detach();
    const folders = this.stores.folders();
    const keys = new Set(folders.map((folder) => folder.uri.toString()));
    const closed = [...this.lists.keys(), ...this.failures.keys()].filter((key) => !keys.has(key));
    if (closed.length > 0) {
      for (const key of closed) {
        this.lists.delete(key);
        this.failures.delete(key);
      }
      this.merged = undefined;
      this._onDidChange.fire();
    }
    await Promise.all(folders.map((folder) => this.subscribe(folder, generation)));
    keys.forEach((key) => this.dirty.add(key));
  }

  private async subscribe(folder: vscode.WorkspaceFolder, generation: number): Promise<void> {
    const key = folder.uri.toString();
    try {
      const store = await this.stores.storeFor(folder);
      if (generation === this.generation && !this.isDisposed) {
        this.storeSubscriptions.push(store.onDidChange(() => this.markDirty(key)));
        if (store instanceof HybridSessionStore) {
          this.storeSubscriptions.push(store.sharing.onDidChange((event) => event.kind === 'mirrored' && this.markDirty(key)));
        }
      }
    } catch (error) {
      // The reload records and reports the failure; nothing to listen to until the stores change.
      this.logger.warn(COMPONENT, `not watching ${folder.name}: ${describeError(error)}`);
    }
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    this.timer ??= setTimeout(() => void this.flush(), this.debounceMs);
  }

  private flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running++;
    this.pending = this.pending
      .then(() => this.reloadDirty())
      .catch((error: unknown) => this.logger.error(COMPONENT, 'could not reload the session lists', error))
      .finally(() => this.running--);
    return this.pending;
  }

  private async reloadDirty(): Promise<void> {
    const folders = this.stores.folders().filter((folder) => this.dirty.has(folder.uri.toString()));
    this.dirty.clear();
    if (folders.length === 0 || this.isDisposed) {
      return;
    }
    const changed = await Promise.all(folders.map((folder) => this.loadFolder(folder)));
    const firstLoad = !this.loadedOnce;
    this.loadedOnce = true;
    if (firstLoad || changed.includes(true)) {
      this.merged = undefined;
      this._onDidChange.fire();
    }
  }

  /** Resolves whether the folder's list changed in a way the tree shows. */
  private async loadFolder(folder: vscode.WorkspaceFolder): Promise<boolean> {
    const key = folder.uri.toString();
    const info: FolderInfo = { uri: key, name: folder.name };
    try {
      const store = await this.stores.storeFor(folder);
      const summaries = await store.list();
      const mirrored = store instanceof HybridSessionStore ? store.sharing.mirrored() : new Map<string, ShareMode>();
      const previous = this.lists.get(key);
      const changed =
        !previous ||
        this.failures.has(key) ||
        !sameSummaries(previous.map((entry) => entry.summary), summaries) ||
        previous.some((entry) => entry.sharing !== mirrored.get(entry.summary.id));
      if (changed) {
        this.lists.set(key, summaries.map((summary) => ({ folder: info, summary, sharing: mirrored.get(summary.id) })));
      }
      this.failures.delete(key);
      return changed;
    } catch (error) {
      const reason = describeError(error);
      if (this.failures.get(key) !== reason) {
        this.logger.error(COMPONENT, `could not list the sessions of ${folder.name}`, error);
      }
      const changed = this.lists.delete(key) || this.failures.get(key) !== reason;
      this.failures.set(key, reason);
      return changed;
    }
  }

  private detach(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.storeSubscriptions.forEach((subscription) => subscription.dispose());
    this.storeSubscriptions = [];
  }
}
