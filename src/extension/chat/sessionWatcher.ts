import * as vscode from 'vscode';
import { MultichatError } from '../../core/errors';
import { Session } from '../../core/model';
import { Disposable, SessionStore } from '../../core/store';
import { SessionRef } from '../sessionRef';
import { WorkspaceStores } from '../workspaceStores';

const REFRESH_DEBOUNCE_MS = 150;
/** While this tab streams a reply its own writes change the session several times a second. */
const BUSY_REFRESH_DEBOUNCE_MS = 1000;

export type SessionLoad = { session: Session | undefined } | { error: unknown };

/**
 * Keeps one tab's session fresh: loads it from its folder's store, reloads (debounced) on every
 * change to it — from this window, another window or the CLI — and follows the store when
 * settings reopen it. Only the newest load is delivered.
 */
export class SessionWatcher implements vscode.Disposable {
  private storeListener: Disposable | undefined;
  private readonly storesListener: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loadSequence = 0;
  private disposed = false;
  /** Set while the tab streams a reply, so its own writes do not reload the session each time. */
  busy = false;

  constructor(
    private readonly ref: SessionRef,
    private readonly stores: WorkspaceStores,
    private readonly onLoad: (load: SessionLoad) => void,
  ) {
    this.storesListener = stores.onDidChangeStores(() => void this.start());
  }

  /** Subscribes to the current store and loads the session now. */
  async start(): Promise<void> {
    this.storeListener?.dispose();
    this.storeListener = undefined;
    try {
      const store = await this.store();
      if (this.disposed) {
        return;
      }
      this.storeListener = store.onDidChange((change) => {
        if (change.kind === 'reloaded' || change.sessionId === this.ref.sessionId) {
          this.scheduleLoad();
        }
      });
    } catch (error) {
      this.onLoad({ error });
      return;
    }
    await this.loadNow();
  }

  async store(): Promise<SessionStore> {
    const folder = this.stores.folders().find((each) => each.uri.toString() === this.ref.folder);
    if (!folder) {
      throw new MultichatError('not-found', 'the workspace folder of this session is not open in this window');
    }
    return this.stores.storeFor(folder);
  }

  scheduleLoad(): void {
    if (this.timer !== undefined || this.disposed) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.loadNow();
    }, this.busy ? BUSY_REFRESH_DEBOUNCE_MS : REFRESH_DEBOUNCE_MS);
  }

  async loadNow(): Promise<void> {
    const sequence = ++this.loadSequence;
    let load: SessionLoad;
    try {
      load = { session: await (await this.store()).get(this.ref.sessionId) };
    } catch (error) {
      load = { error };
    }
    if (sequence === this.loadSequence && !this.disposed) {
      this.onLoad(load);
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.storeListener?.dispose();
    this.storesListener.dispose();
  }
}
