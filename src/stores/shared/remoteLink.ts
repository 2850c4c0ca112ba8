import { ChangeEmitter } from '../../core/changeEmitter';
import { describeError } from '../../core/errors';
import { Disposable, SessionStore } from '../../core/store';

// The hybrid's line to the team's Redis: opens it without ever holding up the local store, says how
// it stands (connected, reconnecting, offline and why) and tries again while the process lives.
// A refusal that trying again cannot fix (a wrong password, a certificate the client rejects) is
// said once and waits for the user to connect again.

/** The Redis store as the hybrid uses it: a SessionStore that also tells when its connection drops and returns. */
export interface RemoteStore extends SessionStore {
  onConnectionChange(listener: (connected: boolean) => void): Disposable;
  /** The author of the session's latest message, if it names one. */
  lastAuthor(sessionId: string): Promise<string | undefined>;
}

export type RemoteState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface RemoteStatus {
  state: RemoteState;
  /** Why it is offline (one plain sentence, never a password). */
  error?: string;
  /** True when retrying cannot help until the settings or password change. */
  needsUser?: boolean;
}

export interface RemoteLinkOptions {
  /** Try again after a failed connect (a long-lived process); the CLI tries once. */
  retry: boolean;
}

const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** How long a lost connection is "reconnecting" before it counts as offline. */
const OFFLINE_AFTER_MS = 3_000;
const LOST = 'the connection to Redis was lost; reconnecting in the background';
const NEEDS_USER = /password|WRONGPASS|NOAUTH|not allowed|certificate|TLS|self[- ]signed/i;

export class RemoteLink {
  private status: RemoteStatus = { state: 'connecting' };
  private remote: RemoteStore | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private offlineTimer: NodeJS.Timeout | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;
  private connectionWatch: Disposable | undefined;
  private readonly states = new ChangeEmitter<RemoteStatus>();
  /** Fired each time the connection is (re)established: the hybrid resyncs then. */
  private readonly arrivals = new ChangeEmitter<RemoteStore>();

  constructor(
    private readonly open: () => Promise<RemoteStore>,
    private readonly options: RemoteLinkOptions,
  ) {}

  /** Starts connecting (once); resolves when the first attempt has succeeded or failed. */
  start(): Promise<void> {
    this.opening ??= this.tryOpen();
    return this.opening;
  }

  /** Connects again now (the user asked), even after a refusal that waits for the user. */
  reconnect(): Promise<void> {
    clearTimeout(this.timer);
    if (this.remote) {
      return Promise.resolve();
    }
    this.attempt = 0;
    this.opening = this.tryOpen();
    return this.opening;
  }

  current(): RemoteStatus {
    return { ...this.status };
  }

  /** The Redis store while connected (commands would only wait in a queue otherwise). */
  connected(): RemoteStore | undefined {
    return this.status.state === 'connected' ? this.remote : undefined;
  }

  /** The Redis store once it was opened, connected or not. */
  opened(): RemoteStore | undefined {
    return this.remote;
  }

  onDidChangeState(listener: (status: RemoteStatus) => void): Disposable {
    return this.states.on(listener);
  }

  onDidConnect(listener: (remote: RemoteStore) => void): Disposable {
    return this.arrivals.on(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.offlineTimer);
    this.connectionWatch?.dispose();
    await this.opening;
    await this.remote?.close();
    this.states.clear();
    this.arrivals.clear();
  }

  private async tryOpen(): Promise<void> {
    if (this.attempt === 0) {
      // Later attempts stay "offline" until one succeeds: the state does not flicker while retrying.
      this.setStatus({ state: 'connecting' });
    }
    let remote: RemoteStore;
    try {
      remote = await this.open();
    } catch (error) {
      this.failed(describeError(error));
      return;
    }
    if (this.closed) {
      await remote.close();
      return;
    }
    this.remote = remote;
    this.connectionWatch = remote.onConnectionChange((up) => this.connectionChanged(up));
    this.connectionChanged(true);
  }

  private connectionChanged(up: boolean): void {
    if (up) {
      clearTimeout(this.offlineTimer);
    }
    if (up && this.remote && this.status.state !== 'connected') {
      this.setStatus({ state: 'connected' });
      this.arrivals.emit(this.remote);
    } else if (!up && this.status.state === 'connected') {
      // ioredis reconnects by itself; a blip is "reconnecting", a lasting loss is "offline".
      this.setStatus({ state: 'reconnecting' });
      this.offlineTimer = setTimeout(() => this.setStatus({ state: 'offline', error: LOST }), OFFLINE_AFTER_MS);
      this.offlineTimer.unref();
    }
  }

  private failed(error: string): void {
    const needsUser = NEEDS_USER.test(error);
    this.setStatus({ state: 'offline', error, needsUser });
    if (this.options.retry && !needsUser && !this.closed) {
      const delay = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
      this.attempt++;
      this.timer = setTimeout(() => void (this.opening = this.tryOpen()), delay);
      this.timer.unref();
    }
  }

  private setStatus(status: RemoteStatus): void {
    const changed = status.state !== this.status.state || status.error !== this.status.error;
    this.status = status;
    if (changed) {
      this.states.emit({ ...status });
    }
  }
}
