import { ChangeEmitter } from '../../core/changeEmitter';
import { describeError } from '../../core/errors';
import { Message, MessagePatch, NewMessage, NewSession, Session, SessionPatch, SessionSummary } from '../../core/model';
import {
  ChangeListener,
  Disposable,
  IndexProgressListener,
  ListOptions,
  SearchHit,
  SearchOptions,
  SessionStore,
  StoreAccess,
  StoreChange,
  StoreWarning,
  VerifyReport,
  WarningListener,
} from '../../core/store';
import { prepareMessagePatch, prepareMessages, preparePatch } from '../../core/validate';
import { WarningReporter } from '../../core/warningReporter';
import { RemoteLink } from './remoteLink';
import { SessionSharing } from './sessionSharing';
import { OutboxOp } from './sharingRecords';
import { SharingLog } from './sharingLog';
import { SyncEngine } from './syncEngine';

// The local-first hybrid (`--remote`): a local store (JSON or SQLite), the source of truth, plus
// the team's Redis for the sessions chosen to be shared. Reads are local and never wait for Redis.
// A write is acknowledged once the local store has it; for a mirrored session an op naming the
// change is then logged durably in the sharing log (the outbox) and pushed when Redis answers.
// Changes from Redis to mirrored sessions are written into the local store as they arrive, and
// reported to listeners as external changes.

/** How long closing waits for a push or pull under way. */
const STOP_WITHIN_MS = 5_000;

export interface HybridOptions {
  /** Who writes here: set on messages written without an author, shown to teammates. */
  author?: string;
  /** Share every session created from now on (secrets held back until allowed). */
  shareNewSessions?: boolean;
}

export class HybridSessionStore implements SessionStore {
  readonly spec: string;
  readonly sharing: SessionSharing;
  private readonly engine: SyncEngine;
  private readonly log: SharingLog;
  private readonly changes = new ChangeEmitter();
  private readonly warnings = new WarningReporter();
  private readonly subscriptions: Disposable[] = [];
  private forwarding = false;
  /** Changes to mirrored sessions queued by this process (a command line waits for them to go out). */
  queuedSinceOpen = 0;
  private closed = false;

  constructor(
    private readonly local: SessionStore,
    private readonly link: RemoteLink,
    sharingLogPath: string,
    private readonly options: HybridOptions,
  ) {
    this.spec = local.spec;
    const warn = (warning: StoreWarning): void => void this.warnings.report(warning);
    this.log = new SharingLog(sharingLogPath, warn);
    this.engine = new SyncEngine({ local, log: this.log, warn }, link);
    this.sharing = new SessionSharing({ local, log: this.log, link, engine: this.engine, warn });
    this.subscriptions.push(local.onDidWarn((warning) => this.warnings.report(warning)));
  }

  async create(input: NewSession): Promise<SessionSummary> {
    const summary = await this.local.create({ ...input, messages: input.messages?.map((message) => this.authored(message)) });
    if (this.options.shareNewSessions) {
      this.guard(() => this.sharing.startSharing(summary.id, 'hold'));
      this.queuedSinceOpen++;
    }
    return summary;
  }

  get(id: string): Promise<Session | undefined> {
    return this.local.get(id);
  }

  list(options?: ListOptions): Promise<SessionSummary[]> {
    return this.local.list(options);
  }

  async appendMessages(id: string, input: readonly NewMessage[]): Promise<Message[]> {
    // Ids are settled here, so the op can name the messages before they are written.
    const messages = prepareMessages(input.map((message) => this.authored(message)));
    if (messages.length === 0) {
      return this.local.appendMessages(id, messages);
    }
    return this.opFirst({ op: 'append', sessionId: id, messageIds: messages.map((message) => message.id) }, () => this.local.appendMessages(id, messages));
  }

  async update(id: string, input: SessionPatch): Promise<SessionSummary> {
    const patch = preparePatch(input);
    // An import's own time stays local (see the update op in sharingRecords.ts).
    const change: SessionPatch = { ...patch };
    delete change.updatedAt;
    if (Object.keys(change).length === 0) {
      return this.local.update(id, patch);
    }
    return this.opFirst({ op: 'update', sessionId: id, patch: change }, () => this.local.update(id, patch));
  }

  async updateMessage(sessionId: string, messageId: string, input: MessagePatch): Promise<Message> {
    const patch = prepareMessagePatch(input);
    return this.opFirst({ op: 'edit', sessionId, messageId }, () => this.local.updateMessage(sessionId, messageId, patch));
  }

  /** A shared session's new order is pushed to the team's copy, as the order here is then. */
  reorderMessages(sessionId: string, order: readonly string[]): Promise<void> {
    return this.opFirst({ op: 'order', sessionId }, () => this.local.reorderMessages(sessionId, order));
  }

  /** Deletes the local copy; a session this store shared stops being shared (its team copy goes too). */
  async delete(id: string): Promise<boolean> {
    // Stopped first, so a pull under way cannot bring the team's copy back in after the delete.
    if (this.log.current().sessions.has(id)) {
      this.guard(() => this.sharing.stopSharing(id));
    }
    return this.local.delete(id);
  }

  search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    return this.local.search(query, options);
  }

  onDidIndex(listener: IndexProgressListener): Disposable {
    return this.local.onDidIndex?.(listener) ?? { dispose: () => undefined };
  }

  async prepareSearch(): Promise<void> {
    await this.local.prepareSearch?.();
  }

  onDidChange(listener: ChangeListener): Disposable {
    if (!this.forwarding) {
      this.forwarding = true;
      this.subscriptions.push(this.local.onDidChange((change) => this.changes.emit(this.labelled(change))));
    }
    return this.changes.on(listener);
  }

  onDidWarn(listener: WarningListener): Disposable {
    return this.warnings.on(listener);
  }

  access(): Promise<StoreAccess> {
    return this.local.access();
  }

  verify(options?: { repair?: boolean }): Promise<VerifyReport> {
    return this.local.verify(options);
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.engine.stop(STOP_WITHIN_MS);
    this.subscriptions.forEach((subscription) => subscription.dispose());
    await this.link.close();
    await this.local.close();
    this.changes.clear();
    this.warnings.clear();
  }

  /** A change the sync engine wrote from Redis is the team's, so listeners hear it as external. */
  private labelled(change: StoreChange): StoreChange {
    return 'sessionId' in change && this.engine.applying.has(change.sessionId) ? { ...change, external: true } : change;
  }

  private authored(message: NewMessage): NewMessage {
    return this.options.author && message.author === undefined ? { ...message, author: this.options.author } : message;
  }

  /**
   * A change to a mirrored session: its op is logged before the local write, so that anything a pull
   * reads from the local store is already named in the outbox (a pull never takes the team's older
   * copy over a change of ours that is about to be pushed). An op whose write then fails names
   * nothing new: a push reads what the local store holds. Other sessions stay home.
   */
  private async opFirst<T>(change: OutboxOp, write: () => Promise<T>): Promise<T> {
    if (!this.log.current().sessions.has(change.sessionId)) {
      return write();
    }
    this.log.append([{ type: 'op', change }]);
    const result = await write();
    this.queuedSinceOpen++;
    this.engine.requestPush();
    return result;
  }

  /**
   * For sharing steps after a local write that is done and durable (it is not undone when the step
   * cannot be logged, on a full disk): that is said, and the next sync finds what Redis lacks.
   */
  private guard(work: () => unknown): void {
    try {
      work();
    } catch (error) {
      this.warnings.report({ kind: 'failure', where: this.log.path, what: `a change was saved but could not be queued for sharing: ${describeError(error)}` });
    }
  }
}
