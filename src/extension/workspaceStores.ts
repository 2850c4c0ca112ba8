import * as vscode from 'vscode';
import { MultichatError } from '../core/errors';
import { IndexProgress, SessionStore, StoreChange, StoreWarning } from '../core/store';
import { openStore } from '../stores/openStore';
import { HybridSessionStore } from '../stores/shared/hybridStore';
import { openHybridStore } from '../stores/shared/openHybridStore';
import { SharingEvent } from '../stores/shared/sessionSharing';
import { StorageSettings, StoreSpec, storeSpecFromSettings } from '../stores/storeSpec';
import { DisposableObject } from './lifecycle';
import { Logger } from './logger';
import { TeamConnection } from './sharing/teamConnection';

/**
 * One store per workspace folder, located by the `multichat.storage.*` settings (relative paths
 * resolve against the folder). Stores open on first use and reopen when the settings change.
 */
export function storeSpecForFolder(folder: vscode.WorkspaceFolder): StoreSpec {
  return storeSpecFromSettings(storageSettingsOf(folder), folder.uri.fsPath);
}

/** The folder's `multichat.storage.*` settings as VS Code resolves them (the CLI reads the same from .vscode/settings.json). */
export function storageSettingsOf(folder: vscode.WorkspaceFolder): StorageSettings {
  const settings = vscode.workspace.getConfiguration('multichat.storage', folder.uri);
  const read = (key: string): string | undefined => settings.get<string>(key);
  return { backend: read('backend'), jsonDirectory: read('jsonDirectory'), sqliteFile: read('sqliteFile') };
}

/** A warning of one folder's store. */
export interface FolderWarning {
  folder: vscode.WorkspaceFolder;
  warning: StoreWarning;
}

/** A change in one folder's store, from this window or another process. */
export interface FolderChange {
  folder: vscode.WorkspaceFolder;
  change: StoreChange;
}

/** How far one folder's store has got with its search index. */
export interface FolderIndexProgress {
  folder: vscode.WorkspaceFolder;
  progress: IndexProgress;
}

/** Something about one folder's sharing: its connection, its mirrored sessions, the team's namespace. */
export interface FolderSharingEvent {
  folder: vscode.WorkspaceFolder;
  event: SharingEvent;
}

export class WorkspaceStores extends DisposableObject {
  private readonly stores = new Map<string, Promise<SessionStore>>();
  /** Folders whose backend is being switched: two stores exist there for a while, on purpose. */
  private readonly switching = new Set<string>();
  private readonly _onDidChangeStores = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeStores = this._onDidChangeStores.event;
  private readonly _onDidWarn = this._register(new vscode.EventEmitter<FolderWarning>());
  /** Every open store's warnings, from the moment it opens. */
  readonly onDidWarn = this._onDidWarn.event;
  private readonly _onDidChangeSessions = this._register(new vscode.EventEmitter<FolderChange>());
  /** Every open store's changes; no need to subscribe again when the stores reopen. */
  readonly onDidChangeSessions = this._onDidChangeSessions.event;
  private readonly _onDidChangeSharing = this._register(new vscode.EventEmitter<FolderSharingEvent>());
  /** Every open hybrid's sharing events (a store without a remote has none). */
  readonly onDidChangeSharing = this._onDidChangeSharing.event;
  private readonly _onDidIndex = this._register(new vscode.EventEmitter<FolderIndexProgress>());
  /** Every open store's search index progress (stores without an index have none). */
  readonly onDidIndex = this._onDidIndex.event;

  constructor(
    private readonly logger: Logger,
    private readonly team?: TeamConnection,
  ) {
    super();
    if (team) {
      this._register(team.onDidChange(() => void this.closeAll().then(() => this._onDidChangeStores.fire())));
    }
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('multichat.storage')) {
          void this.closeAll().then(() => this._onDidChangeStores.fire());
        }
      }),
    );
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.closeAll().then(() => this._onDidChangeStores.fire())));
  }

  folders(): readonly vscode.WorkspaceFolder[] {
    return vscode.workspace.workspaceFolders ?? [];
  }

  /** The open workspace folder with this URI (as a string), if any. */
  folderFor(folderUri: string): vscode.WorkspaceFolder | undefined {
    return this.folders().find((folder) => folder.uri.toString() === folderUri);
  }

  /** Like folderFor, for a session's folder: one that is not open is a plain not-found error. */
  requireFolder(folderUri: string): vscode.WorkspaceFolder {
    const folder = this.folderFor(folderUri);
    if (!folder) {
      throw new MultichatError('not-found', 'the workspace folder of this session is not open in this window');
    }
    return folder;
  }

  storeFor(folder: vscode.WorkspaceFolder): Promise<SessionStore> {
    const key = folder.uri.toString();
    let store = this.stores.get(key);
    if (!store) {
      store = this.open(folder);
      // Subscribed as the store opens, so its first listener (which gets the warnings found while opening) is this one.
      // Closing a store ends its listeners.
      store.then(
        (opened) => {
          opened.onDidWarn((warning) => this._onDidWarn.fire({ folder, warning }));
          opened.onDidChange((change) => this._onDidChangeSessions.fire({ folder, change }));
          opened.onDidIndex?.((progress) => this._onDidIndex.fire({ folder, progress }));
          if (opened instanceof HybridSessionStore) {
            opened.sharing.onDidChange((event) => this._onDidChangeSharing.fire({ folder, event }));
            // In the background: the local store works at once, Redis or not.
            void opened.sharing.connect();
          }
        },
        () => this.stores.delete(key),
      );
      this.stores.set(key, store);
    }
    return store;
  }

  /** The open stores that mirror through Redis, by folder (opening none). */
  async openHybrids(): Promise<{ folder: vscode.WorkspaceFolder; store: HybridSessionStore }[]> {
    const hybrids: { folder: vscode.WorkspaceFolder; store: HybridSessionStore }[] = [];
    for (const folder of this.folders()) {
      const opening = this.stores.get(folder.uri.toString());
      const store = opening && (await opening.catch(() => undefined));
      if (store instanceof HybridSessionStore) {
        hybrids.push({ folder, store });
      }
    }
    return hybrids;
  }

  private async open(folder: vscode.WorkspaceFolder): Promise<SessionStore> {
    const spec = storeSpecForFolder(folder);
    const remote = await this.team?.remote();
    this.logger.info('stores', `opening ${spec.kind} store for ${folder.name}${remote ? ', shared through Redis' : ''}`);
    if (!remote) {
      return openStore(spec);
    }
    return openHybridStore(spec, remote.spec, { retry: true, author: remote.author, shareNewSessions: remote.shareNewSessions });
  }

  /** Runs a switch of the folder's backend; while it runs, a second store in the folder is expected. */
  async whileSwitching<T>(folder: vscode.WorkspaceFolder, work: () => Promise<T>): Promise<T> {
    const key = folder.uri.toString();
    this.switching.add(key);
    try {
      return await work();
    } finally {
      this.switching.delete(key);
    }
  }

  isSwitching(folder: vscode.WorkspaceFolder): boolean {
    return this.switching.has(folder.uri.toString());
  }

  private async closeAll(): Promise<void> {
    const open = [...this.stores.values()];
    this.stores.clear();
    for (const opening of open) {
      try {
        const store: SessionStore = await opening;
        await store.close();
      } catch (error) {
        this.logger.error('stores', 'could not close a store', error);
      }
    }
  }

  /** Closes every open store (they flush their caches); deactivate awaits this, before the disposal that cannot wait. */
  closeStores(): Promise<void> {
    return this.closeAll();
  }

  override dispose(): void {
    super.dispose();
    void this.closeAll();
  }
}
