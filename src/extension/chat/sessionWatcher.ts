import { Session } from '../../core/model';
import { Disposable, SessionStore } from '../../core/store';
import { DisposableObject } from '../lifecycle';
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
export class SessionWatcher extends DisposableObject {
  /** Follows the current store; replaced when settings reopen the stores. */
  private storeListener: Disposable | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loadSequence = 0;
  /** When the last load started (Date.now()). */
  private lastLoadAt = 0;
  /** Set while the tab streams a reply, so its own writes do not reload the session each time. */
  busy = false;

  constructor(
    private readonly ref: SessionRef,
    private readonly stores: WorkspaceStores,
    private readonly onLoad: (load: SessionLoad) => void,
  ) {
    super();
    this._register(stores.onDidChangeStores(() => void this.start()));
    this._register({
      dispose: () => {
        clearTimeout(this.timer);
        this.storeListener?.dispose();
      },
    });
  }

  /** Subscribes to the current store and loads the session now. */
  async start(): Promise<void> {
    this.storeListener?.dispose();
    this.storeListener = undefined;
    try {
      const store = await this.store();
      if (this.isDisposed) {
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
    return this.stores.storeFor(this.stores.requireFolder(this.ref.folder));
  }

  /**
   * A change after a quiet spell loads at once (a teammate's message shows without delay); more
   * changes within the window after a load are gathered into one load at its end, so a burst (a
   * streamed reply) reloads a few times a second at most.
   */
  scheduleLoad(): void {
    if (this.timer !== undefined || this.isDisposed) {
      return;
    }
    const window = this.busy ? BUSY_REFRESH_DEBOUNCE_MS : REFRESH_DEBOUNCE_MS;
    const wait = Math.max(0, this.lastLoadAt + window - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.loadNow();
    }, wait);
  }

  async loadNow(): Promise<void> {
    this.lastLoadAt = Date.now();
    const sequence = ++this.loadSequence;
    let load: SessionLoad;
    try {
      load = { session: await (await this.store()).get(this.ref.sessionId) };
    } catch (error) {
      load = { error };
    }
    if (sequence === this.loadSequence && !this.isDisposed) {
      this.onLoad(load);
    }
  }
}
