import { ChangeEmitter } from '../../core/changeEmitter';
import { describeError } from '../../core/errors';
import { settleWithin } from '../../core/eventLoop';
import { Disposable, StoreChange } from '../../core/store';
import { tryWithFileLock } from '../fs/fileLock';
import { HeldBack, PushOutcome, SyncContext, pushPending } from './pushOutbox';
import { ReconcileOutcome, reconcileSession } from './reconcile';
import { RemoteLink, RemoteStore } from './remoteLink';

// Keeps a local store and the team's Redis in step, one piece of work at a time: pushes the outbox
// whenever something is queued, pulls a mirrored session whenever Redis says it changed, and after
// every (re)connect pushes everything and pulls every mirrored session (pub/sub may have missed
// changes while the line was down). Processes sharing one local store take turns pushing (a lock
// beside the sharing log), so the outbox goes out in one order.

export interface SyncReport {
  pushed: number;
  pulled: number;
  pending: number;
  held: HeldBack[];
}

/** How long a push waits before trying again when another process holds the push lock. */
const BUSY_RETRY_MS = 200;
const FAILURE_RETRY_MS = 5_000;

export class SyncEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly dirty = new Set<string>();
  private pushWanted = false;
  private resyncWanted = false;
  private scheduled = false;
  private stopped = false;
  private busyRetry: NodeJS.Timeout | undefined;
  private failureRetry: NodeJS.Timeout | undefined;
  private readonly subscriptions: Disposable[] = [];
  private readonly watched = new Set<RemoteStore>();
  /** Ops pushed and sessions pulled since this engine started: a sync reports what it added to them. */
  private readonly totals = { pushed: 0, pulled: 0 };
  /** Sessions being written from Redis right now: their local change events are the team's. */
  readonly applying = new Set<string>();
  /** Messages held back for a credential, each said once per process. */
  private readonly heldSaid = new Set<string>();
  readonly held = new ChangeEmitter<HeldBack>();
  /** A mirrored session changed from Redis (or stopped being shared because its team copy went away). */
  readonly pulled = new ChangeEmitter<{ sessionId: string; outcome: ReconcileOutcome }>();
  /** Any change in the team's namespace, mirrored here or not (for a view of everything shared). */
  readonly remoteChanged = new ChangeEmitter<StoreChange>();

  constructor(
    private readonly context: SyncContext,
    private readonly link: RemoteLink,
  ) {
    this.subscriptions.push(link.onDidConnect((remote) => this.connected(remote)));
  }

  requestPush(): void {
    this.pushWanted = true;
    this.schedule();
  }

  requestPull(sessionId: string): void {
    this.dirty.add(sessionId);
    this.schedule();
  }

  /** Pushes everything and pulls every mirrored session, now; what is left pending is counted. */
  sync(): Promise<SyncReport> {
    return this.enqueue(async () => {
      const remote = this.link.connected();
      if (!remote) {
        return { pushed: 0, pulled: 0, pending: this.pendingCount(), held: [] };
      }
      return this.fullSync(remote);
    });
  }

  counters(): { pushed: number; pulled: number } {
    return { ...this.totals };
  }

  /** Resolves once the work queued so far is done. */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  pendingCount(): number {
    return this.context.log.current().pending().length;
  }

  /**
   * Takes no new work and lets the work under way finish, for at most `withinMs` (a push holds the
   * push lock: a process that exits mid-push could leave it behind for others to wait out).
   */
  async stop(withinMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.busyRetry);
    clearTimeout(this.failureRetry);
    this.subscriptions.forEach((subscription) => subscription.dispose());
    await settleWithin(this.idle(), withinMs);
  }

  private connected(remote: RemoteStore): void {
    if (!this.watched.has(remote)) {
      this.watched.add(remote);
      this.subscriptions.push(remote.onDidChange((change) => this.heard(change)));
    }
    this.resyncWanted = true;
    this.schedule();
  }

  private heard(change: StoreChange): void {
    this.remoteChanged.emit(change);
    if (!change.external) {
      return;
    }
    if (change.kind === 'reloaded') {
      this.resyncWanted = true;
      this.schedule();
    } else if (this.context.log.current().sessions.has(change.sessionId)) {
      this.requestPull(change.sessionId);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) {
      return;
    }
    this.scheduled = true;
    void this.enqueue(() => this.drain());
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    const remote = this.link.connected();
    if (!remote || this.stopped) {
      return;
    }
    try {
      if (this.resyncWanted) {
        this.resyncWanted = false;
        this.dirty.clear();
        await this.fullSync(remote);
        return;
      }
      await this.pushAndPull(remote);
    } catch (error) {
      this.context.warn({ kind: 'failure', where: this.context.log.path, what: `sharing paused: ${describeError(error)}; it resumes when Redis answers` });
      this.retryLater();
      return;
    }
    if (this.pushWanted || this.dirty.size > 0 || this.resyncWanted) {
      this.schedule();
    }
  }

  /** Redis failed mid-push without dropping the connection (it stopped answering): try again soon. */
  private retryLater(): void {
    clearTimeout(this.failureRetry);
    this.failureRetry = setTimeout(() => {
      this.resyncWanted = true;
      this.schedule();
    }, FAILURE_RETRY_MS);
    this.failureRetry.unref();
  }

  private async pushAndPull(remote: RemoteStore): Promise<void> {
    if (this.pushWanted) {
      this.pushWanted = false;
      await this.push(remote);
    }
    const sessions = [...this.dirty];
    this.dirty.clear();
    for (const sessionId of sessions) {
      await this.pull(remote, sessionId);
    }
  }

  private async fullSync(remote: RemoteStore): Promise<SyncReport> {
    this.pushWanted = false;
    const pushedFirst = await this.push(remote);
    let pulled = 0;
    for (const sessionId of [...this.context.log.current().sessions.keys()]) {
      pulled += (await this.pull(remote, sessionId)) === 'unchanged' ? 0 : 1;
    }
    // Pulling may have queued messages the server lacked: they go now too.
    const pushedAfter = this.pendingCount() > 0 ? await this.push(remote) : undefined;
    const held = [...pushedFirst.held, ...(pushedAfter?.held ?? [])];
    return { pushed: pushedFirst.pushed + (pushedAfter?.pushed ?? 0), pulled, pending: this.pendingCount(), held };
  }

  private async push(remote: RemoteStore): Promise<PushOutcome> {
    const outcome = await tryWithFileLock(`${this.context.log.path}.push`, async () => {
      const result = await pushPending(this.context, remote);
      await this.context.log.compactIfLarge().catch(() => undefined);
      return result;
    });
    if (!outcome) {
      // Another process is pushing; what it did not take is ours to push in a moment.
      clearTimeout(this.busyRetry);
      this.busyRetry = setTimeout(() => this.requestPush(), BUSY_RETRY_MS);
      this.busyRetry.unref();
      return { pushed: 0, held: [] };
    }
    this.totals.pushed += outcome.pushed;
    outcome.held.forEach((held) => this.sayHeld(held));
    if (outcome.failure) {
      throw outcome.failure;
    }
    return outcome;
  }

  private async pull(remote: RemoteStore, sessionId: string): Promise<ReconcileOutcome> {
    const entry = this.context.log.current().sessions.get(sessionId);
    if (!entry) {
      return 'unchanged';
    }
    this.applying.add(sessionId);
    let outcome: ReconcileOutcome;
    try {
      outcome = await reconcileSession(this.context, remote, sessionId, entry);
    } finally {
      this.applying.delete(sessionId);
    }
    if (outcome !== 'unchanged') {
      this.totals.pulled++;
      this.pulled.emit({ sessionId, outcome });
    }
    if (this.pendingCount() > 0) {
      this.pushWanted = true;
    }
    return outcome;
  }

  private sayHeld(held: HeldBack): void {
    const key = `${held.sessionId}/${held.finding.messageId ?? 'title'}/${held.finding.kind}`;
    if (!this.heldSaid.has(key)) {
      this.heldSaid.add(key);
      this.held.emit(held);
    }
  }
}
