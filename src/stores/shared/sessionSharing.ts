import { ChangeEmitter } from '../../core/changeEmitter';
import { MultichatError, sessionNotFound, storeUnavailable } from '../../core/errors';
import { settleWithin } from '../../core/eventLoop';
import { SessionSummary } from '../../core/model';
import { SecretFinding, findSecrets } from '../../core/secrets/secretScan';
import { Disposable, SessionStore, StoreChange, StoreWarning } from '../../core/store';
import { HeldBack } from './pushOutbox';
import { RemoteLink, RemoteStatus, RemoteStore } from './remoteLink';
import { SecretPolicy, ShareMode } from './sharingRecords';
import { SharingLog } from './sharingLog';
import { SyncEngine, SyncReport } from './syncEngine';

// What a user does with sharing: share a session (after checking it for credentials), stop, pull a
// teammate's session, sync now, and see how things stand. Every step is logged first and pushed
// after, so it holds whether Redis answers or not.

export interface SharingStatus {
  remote: RemoteStatus;
  /** Outbox ops not yet pushed. */
  pending: number;
  shared: number;
  followed: number;
}

export type ShareOutcome = { shared: true } | { shared: false; findings: SecretFinding[] };

/** A session in the team's namespace, as the Shared view and `list --shared` show it. */
export interface TeamSession {
  summary: SessionSummary;
  /** Who wrote its latest message, when that message says. */
  lastAuthor?: string;
  /** How this store mirrors it, if at all. */
  mode?: ShareMode;
}

export type SharingEvent =
  | { kind: 'status'; status: SharingStatus }
  /** The set of mirrored sessions here changed, or one of them was written from Redis. */
  | { kind: 'mirrored'; sessionId: string }
  /** Something in the team's namespace changed (a Shared view refreshes). */
  | { kind: 'team'; change: StoreChange }
  | { kind: 'held'; held: HeldBack };

interface SharingParts {
  local: SessionStore;
  log: SharingLog;
  link: RemoteLink;
  engine: SyncEngine;
  warn(warning: StoreWarning): void;
}

const LAST_AUTHOR_BATCH = 32;

export class SessionSharing {
  private readonly events = new ChangeEmitter<SharingEvent>();

  constructor(private readonly parts: SharingParts) {
    const { link, engine } = parts;
    link.onDidChangeState(() => this.events.emit({ kind: 'status', status: this.status() }));
    engine.pulled.on(({ sessionId }) => this.events.emit({ kind: 'mirrored', sessionId }));
    engine.remoteChanged.on((change) => this.events.emit({ kind: 'team', change }));
    engine.held.on((held) => this.events.emit({ kind: 'held', held }));
  }

  /** Starts connecting to Redis in the background (once); never rejects. */
  connect(): Promise<void> {
    return this.parts.link.start();
  }

  reconnect(): Promise<void> {
    return this.parts.link.reconnect();
  }

  status(): SharingStatus {
    const state = this.parts.log.current();
    const modes = [...state.sessions.values()].map((entry) => entry.mode);
    return {
      remote: this.parts.link.current(),
      pending: state.pending().length,
      shared: modes.filter((mode) => mode === 'shared').length,
      followed: modes.filter((mode) => mode === 'followed').length,
    };
  }

  modeOf(sessionId: string): ShareMode | undefined {
    return this.parts.log.current().sessions.get(sessionId)?.mode;
  }

  /** Every mirrored session's id and mode. */
  mirrored(): Map<string, ShareMode> {
    return new Map([...this.parts.log.current().sessions].map(([id, entry]) => [id, entry.mode]));
  }

  onDidChange(listener: (event: SharingEvent) => void): Disposable {
    return this.events.on(listener);
  }

  /**
   * Shares a local session: refused (nothing shared) when it holds a credential and `secrets` is
   * `hold`; with `redact` the team's copy has markers in their place; with `allow` it goes as is.
   */
  async share(sessionId: string, secrets: SecretPolicy): Promise<ShareOutcome> {
    const session = await this.parts.local.get(sessionId);
    if (!session) {
      throw sessionNotFound(sessionId);
    }
    if (secrets === 'hold') {
      const findings = await findSecrets(session);
      if (findings.length > 0) {
        return { shared: false, findings };
      }
    }
    this.startSharing(sessionId, secrets);
    return { shared: true };
  }

  /** Logs the session as shared and its first push (a session shared again only gets its new policy). */
  startSharing(sessionId: string, secrets: SecretPolicy): void {
    const entry = this.parts.log.current().sessions.get(sessionId);
    const mode: ShareMode = entry?.mode ?? 'shared';
    this.parts.log.append([{ type: 'share', sessionId, mode, secrets }, { type: 'op', change: { op: 'share', sessionId } }]);
    this.parts.engine.requestPush();
    this.events.emit({ kind: 'mirrored', sessionId });
  }

  /** Stops mirroring; a session this store shared leaves the team's namespace. False when it was not mirrored. */
  stopSharing(sessionId: string): boolean {
    const entry = this.parts.log.current().sessions.get(sessionId);
    if (!entry) {
      return false;
    }
    const unshare = entry.mode === 'shared' ? [{ type: 'op' as const, change: { op: 'unshare' as const, sessionId } }] : [];
    this.parts.log.append([{ type: 'stop', sessionId, by: 'user' }, ...unshare]);
    this.parts.engine.requestPush();
    this.events.emit({ kind: 'mirrored', sessionId });
    return true;
  }

  /** Copies a session from the team's namespace here and follows it; Redis must answer. */
  async pull(sessionId: string): Promise<void> {
    const remote = await this.remoteNow('pull a shared session');
    const theirs = await remote.get(sessionId);
    if (!theirs) {
      throw new MultichatError('not-found', `no shared session ${sessionId} in the team's namespace`);
    }
    const entry = this.parts.log.current().sessions.get(sessionId);
    if (!entry) {
      this.parts.log.append([{ type: 'share', sessionId, mode: 'followed', secrets: 'hold' }]);
    }
    this.parts.engine.requestPull(sessionId);
    await this.parts.engine.idle();
    this.events.emit({ kind: 'mirrored', sessionId });
  }

  /** Pushes the outbox and pulls every mirrored session; connects first (bounded) if need be. */
  async sync(): Promise<SyncReport> {
    // Connecting starts a resync of its own: what it pushes and pulls counts as this sync's.
    const before = this.parts.engine.counters();
    await (this.parts.link.current().state === 'offline' ? this.reconnect() : this.connect());
    const report = await this.parts.engine.sync();
    const after = this.parts.engine.counters();
    return { ...report, pushed: after.pushed - before.pushed, pulled: after.pulled - before.pulled };
  }

  /**
   * Gives what is queued a short, bounded chance to reach Redis (a command line's write, which then
   * exits): connecting and pushing stop at the deadline, and whatever is left stays queued.
   */
  async settle(withinMs: number): Promise<void> {
    if (this.parts.engine.pendingCount() === 0) {
      return;
    }
    const deadline = Date.now() + withinMs;
    await settleWithin(this.connect(), deadline - Date.now());
    if (this.parts.link.connected()) {
      this.parts.engine.requestPush();
      await settleWithin(this.parts.engine.idle(), deadline - Date.now());
    }
  }

  /** The team's namespace: every shared session, with who last wrote it and how it is mirrored here. */
  async team(): Promise<TeamSession[]> {
    const remote = await this.remoteNow('list the shared sessions');
    const summaries = await remote.list();
    const mirrored = this.mirrored();
    const sessions: TeamSession[] = [];
    for (let start = 0; start < summaries.length; start += LAST_AUTHOR_BATCH) {
      const batch = summaries.slice(start, start + LAST_AUTHOR_BATCH);
      const authors = await Promise.all(batch.map((summary) => remote.lastAuthor(summary.id)));
      batch.forEach((summary, index) => sessions.push({ summary, lastAuthor: authors[index], mode: mirrored.get(summary.id) }));
    }
    return sessions;
  }

  private async remoteNow(doing: string): Promise<RemoteStore> {
    await this.connect();
    const remote = this.parts.link.connected();
    if (!remote) {
      const status = this.parts.link.current();
      throw storeUnavailable(`could not ${doing}: ${status.error ?? 'Redis is not connected'}`);
    }
    return remote;
  }
}
