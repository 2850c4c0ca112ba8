import { basename, resolve } from 'node:path';
import { ChangeEmitter } from '../../core/changeEmitter';
import { MultichatError, invalidInput, sessionNotFound } from '../../core/errors';
import { newId } from '../../core/ids';
import { Message, MessagePatch, NewMessage, NewSession, Session, SessionPatch, SessionSummary, nowIso } from '../../core/model';
import { parseStoreQuery } from '../../core/search';
import {
  ChangeListener,
  Disposable,
  IndexProgress,
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
import { prepareMessagePatch, prepareMessages, prepareOrder, preparePatch, prepareSession } from '../../core/validate';
import { orderAfterReorder } from '../../core/sessionRules';
import { WarningReporter } from '../../core/warningReporter';
import { watchDirectory } from '../fs/directoryWatcher';
import { describeIoCause } from '../fs/ioErrors';
import { DatabaseSource } from './database/databaseFile';
import { forgetOpeningRead } from './journal/openingRead';
import { initialState } from './state/initialState';
import { Maintenance } from './snapshot/maintenance';
import { readMessage, readMessagePositions, readSession } from './database/sessionRows';
import { SqliteEngine } from './sqliteEngine';
import { sqliteSearch } from './search/sqliteSearch';
import { CachedSearch } from '../shared/search/cachedSearch';
import { verifySqliteStore } from './verify/sqliteVerify';
import { StorePaths, storeAccess, storePaths } from './storePaths';
import { formatStoreSpec } from '../storeSpec';

// The SQLite backend (`sqlite:<file>`), on sql.js. sql.js holds the database in memory and
// exporting it costs O(database), so changes are never exported one by one: each is appended
// durably to a JSON-lines journal beside the database and applied in journal order, and the
// database is snapshotted to disk in the background (see maintenance.ts). A fresh process lists
// sessions from a summaries sidecar while the database loads; several processes share the store
// by following the same journal. Opening creates nothing (a read-only store, or a backup copy,
// is read where it lies); the first write creates the folder, the database file and the journal.

export interface SqliteStoreOptions {
  /** Snapshot after this many operations since the last snapshot (default 1000). */
  snapshotAfterOps?: number;
  /** ...or this much journal, or 1/32 of the database if more (default 4 MiB). */
  snapshotAfterBytes?: number;
  /** ...or after this long without changes, when the changes are worth it (default 10 s). */
  snapshotIdleMs?: number;
  /** Refresh the summaries sidecar after this much journal (default 256 KiB). */
  sidecarAfterBytes?: number;
  /** After a snapshot, trim the journal once it is this big (default 1 MiB). */
  rotateJournalBytes?: number;
  /** Run PRAGMA quick_check on open for database files up to this size (default 32 MiB). */
  quickCheckMaxBytes?: number;
  /** Load the database right after opening (default true); otherwise when first needed. */
  loadInBackground?: boolean;
  /** Follow other processes' changes as they happen (default true). */
  watch?: boolean;
  /** Receives warnings: recoveries from corrupt files, failed background work. */
  logger?: (message: string) => void;
}

const DEFAULTS: Required<Omit<SqliteStoreOptions, 'logger'>> = {
  snapshotAfterOps: 1_000,
  snapshotAfterBytes: 4 * 2 ** 20,
  snapshotIdleMs: 10_000,
  sidecarAfterBytes: 256 * 2 ** 10,
  rotateJournalBytes: 2 ** 20,
  quickCheckMaxBytes: 32 * 2 ** 20,
  loadInBackground: true,
  watch: true,
};

/** What a SQLite store offers beyond the store contract, for the bench and for tests. */
export interface SqliteUpkeep {
  /** Writes a snapshot now (unless another process is writing one); true when this one did. */
  snapshotNow(): Promise<boolean>;
  /** False while the store answers from the summaries sidecar only. */
  readonly databaseLoaded: boolean;
  /** What went wrong and was recovered from, or failed in the background, since opening. */
  readonly warnings: readonly string[];
}

export type SqliteStore = SessionStore & SqliteUpkeep;

/** The upkeep of a store that openStore opened, when it is a SQLite store (see lazySqliteStore). */
const upkeepOfStore = new WeakMap<SessionStore, SqliteUpkeep>();

export function sqliteUpkeep(store: SessionStore): SqliteUpkeep | undefined {
  return upkeepOfStore.get(store);
}

export function registerSqliteUpkeep(store: SessionStore, upkeep: SqliteUpkeep): void {
  upkeepOfStore.set(store, upkeep);
}

export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const store = await SqliteSessionStore.open(storePaths(resolve(file)), options);
  registerSqliteUpkeep(store, store);
  return store;
}

class SqliteSessionStore implements SqliteStore {
  readonly spec: string;
  private readonly options: Required<Omit<SqliteStoreOptions, 'logger'>>;
  private readonly changes = new ChangeEmitter();
  private readonly indexing = new ChangeEmitter<IndexProgress>();
  private readonly warningReporter = new WarningReporter();
  private readonly recoveries: string[] = [];
  private readonly allWarnings: string[] = [];
  private readonly engine: SqliteEngine;
  private readonly maintenance: Maintenance;
  private readonly searcher: CachedSearch;
  private readonly sidecarProblem: string | undefined;
  private watcher: Disposable | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly paths: StorePaths,
    private readonly settings: SqliteStoreOptions,
  ) {
    this.spec = formatStoreSpec({ kind: 'sqlite', file: paths.file });
    this.options = { ...DEFAULTS, ...settings };
    const hooks = { emit: (change: StoreChange) => this.changes.emit(change), corrupt: (warning: StoreWarning) => this.warningReporter.report(warning) };
    const initial = initialState(paths, hooks);
    this.sidecarProblem = initial.sidecarProblem;
    this.engine = new SqliteEngine(paths, initial.state, initial.ready, {
      quickCheckMaxBytes: this.options.quickCheckMaxBytes,
      emit: hooks.emit,
      warn: (message) => this.recover(message),
      afterLoad: (source) => this.afterLoad(source),
    });
    this.maintenance = new Maintenance(this.engine, { ...this.options, warn: (message) => this.warn(message) });
    this.searcher = sqliteSearch(this.engine, { spec: this.spec, warn: (message) => this.warn(message), indexing: this.indexing });
    this.changes.on((change) => this.searcher.noteChange(change));
  }

  static async open(paths: StorePaths, options: SqliteStoreOptions): Promise<SqliteSessionStore> {
    const store = new SqliteSessionStore(paths, options);
    try {
      await store.start();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  get warnings(): readonly string[] {
    return [...this.allWarnings, ...this.engine.problems];
  }

  get databaseLoaded(): boolean {
    return this.engine.databaseLoaded;
  }

  private async start(): Promise<void> {
    if (this.options.watch) {
      const journalName = basename(this.paths.journal);
      this.watcher = watchDirectory(this.paths.directory, {
        onChange: (names) => (names === undefined || names.has(journalName) ? this.followExternalChanges() : undefined),
        rescanMs: 1_000,
      });
    }
    if (this.sidecarProblem !== undefined) {
      await this.engine.load();
    } else if (this.options.loadInBackground) {
      setImmediate(() => this.loadInBackground());
    }
  }

  async create(input: NewSession): Promise<SessionSummary> {
    const session = prepareSession(input);
    const state = await this.engine.current();
    const exists = (): MultichatError => invalidInput(`a session with id ${session.id} already exists`);
    if (state.hasSession(session.id)) {
      throw exists();
    }
    if ((await this.write({ type: 'create', id: newId(), session })) === 'ignored') {
      throw exists();
    }
    return this.summaryOf(session.id);
  }

  async get(id: string): Promise<Session | undefined> {
    return readSession(await this.engine.database(), id);
  }

  async list(options: ListOptions = {}): Promise<SessionSummary[]> {
    const state = await this.engine.current();
    const matching = state.sortedSummaries().filter((summary) => options.tag === undefined || summary.tags.includes(options.tag));
    return matching.slice(0, options.limit).map(copySummary);
  }

  async appendMessages(id: string, input: readonly NewMessage[]): Promise<Message[]> {
    await this.requireSession(id);
    const messages = prepareMessages(input);
    if (messages.length > 0 && (await this.write({ type: 'append', id: newId(), sessionId: id, messages })) === 'missing') {
      throw sessionNotFound(id);
    }
    return messages;
  }

  async update(id: string, input: SessionPatch): Promise<SessionSummary> {
    const patch = preparePatch(input);
    await this.requireSession(id);
    if ((await this.write({ type: 'update', id: newId(), sessionId: id, patch, at: nowIso() })) === 'missing') {
      throw sessionNotFound(id);
    }
    return this.summaryOf(id);
  }

  async updateMessage(sessionId: string, messageId: string, input: MessagePatch): Promise<Message> {
    const patch = prepareMessagePatch(input);
    const sql = await this.engine.database();
    await this.requireSession(sessionId);
    const noMessage = (): MultichatError => new MultichatError('not-found', `no such message: ${messageId}`);
    if (!readMessage(sql, sessionId, messageId)) {
      throw noMessage();
    }
    const status = await this.write({ type: 'updateMessage', id: newId(), sessionId, messageId, patch });
    const message = status === 'applied' ? readMessage(await this.engine.database(), sessionId, messageId) : undefined;
    if (!message) {
      throw noMessage();
    }
    return message;
  }

  /**
   * One journal record, applied in journal order like every other: appends journaled before it
   * are arranged by it, those after it follow it. Nothing is written when the messages are
   * already in that order.
   */
  async reorderMessages(sessionId: string, input: readonly string[]): Promise<void> {
    const order = prepareOrder(input);
    const sql = await this.engine.database();
    await this.requireSession(sessionId);
    if (!orderAfterReorder(readMessagePositions(sql, sessionId), order)) {
      return;
    }
    if ((await this.write({ type: 'reorder', id: newId(), sessionId, messageIds: order })) === 'missing') {
      throw sessionNotFound(sessionId);
    }
  }

  async delete(id: string): Promise<boolean> {
    const state = await this.engine.current();
    if (!state.hasSession(id)) {
      return false;
    }
    return (await this.write({ type: 'delete', id: newId(), sessionId: id })) === 'applied';
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    parseStoreQuery(query); // a bad query is refused before the database loads
    options.signal?.throwIfAborted();
    // Caught up with the journal (its changes are news to the index); loaded only if search needs it.
    await this.engine.current();
    return this.searcher.search(query, options);
  }

  onDidIndex(listener: IndexProgressListener): Disposable {
    return this.indexing.on(listener);
  }

  async prepareSearch(): Promise<void> {
    await this.engine.database();
    await this.searcher.catchUp();
  }

  onDidChange(listener: ChangeListener): Disposable {
    return this.changes.on(listener);
  }

  onDidWarn(listener: WarningListener): Disposable {
    return this.warningReporter.on(listener);
  }

  async access(): Promise<StoreAccess> {
    return storeAccess(this.paths);
  }

  async verify(options: { repair?: boolean } = {}): Promise<VerifyReport> {
    const target = { engine: this.engine, maintenance: this.maintenance, recoveries: this.recoveries };
    const report = await verifySqliteStore(target, { repair: options.repair ?? false, access: () => storeAccess(this.paths) });
    if (options.repair) {
      this.warningReporter.forgetReported();
      const searchRepair = await this.searcher.repair();
      report.repairs.push(...(searchRepair ? [searchRepair] : []));
    }
    return report;
  }

  async snapshotNow(): Promise<boolean> {
    return this.maintenance.snapshotNow();
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.watcher?.dispose();
    this.maintenance.dispose();
    await this.maintenance.idle().catch(() => undefined);
    if (this.engine.databaseLoaded && !this.engine.isClosed) {
      await this.maintenance.flushOnClose().catch((error: unknown) => this.warn(`could not snapshot on close: ${describeIoCause(error)}`));
    }
    await this.searcher.close().catch((error: unknown) => this.warn(`could not save the search index: ${describeIoCause(error)}`));
    await this.engine.close();
    forgetOpeningRead(this.paths.journal);
    this.changes.clear();
    this.indexing.clear();
    this.warningReporter.clear();
  }

  private async write(op: Parameters<SqliteEngine['write']>[0]): ReturnType<SqliteEngine['write']> {
    const status = await this.engine.write(op);
    await this.maintenance.check();
    return status;
  }

  private async requireSession(id: string): Promise<void> {
    const state = await this.engine.current();
    if (!state.hasSession(id)) {
      throw sessionNotFound(id);
    }
  }

  private summaryOf(id: string): SessionSummary {
    const summary = this.engine.summaryOf(id);
    if (!summary) {
      throw sessionNotFound(id);
    }
    return copySummary(summary);
  }

  private loadInBackground(): void {
    if (!this.closing) {
      this.engine.load().catch((error: unknown) => this.warn(`could not load the database: ${describeIoCause(error)}`));
    }
  }

  private followExternalChanges(): void {
    if (this.engine.isClosed || this.closing) {
      return;
    }
    this.engine
      .current()
      .then(() => this.maintenance.check())
      .catch((error: unknown) => this.warn(`could not follow the journal: ${describeIoCause(error)}`));
  }

  private afterLoad(source: DatabaseSource): void {
    this.maintenance.noteDatabaseSize();
    // 'none' has nothing on disk to write back: the store appears with its first write.
    if (source === 'backup' || source === 'empty') {
      void this.maintenance.snapshotNow().catch((error: unknown) => this.warn(`could not write a recovered snapshot: ${describeIoCause(error)}`));
    } else if (source === 'file' && this.sidecarProblem !== undefined) {
      void this.maintenance.writeSidecarNow().catch((error: unknown) => this.warn(`could not rebuild the sidecar: ${describeIoCause(error)}`));
    }
    void this.maintenance.check();
  }

  /** A corrupt file found and recovered from: verify reports it until a repair acknowledges it. */
  private recover(message: string): void {
    this.recoveries.push(message);
    this.note(message);
    this.warningReporter.report({ kind: 'corrupt', where: this.paths.file, what: message });
  }

  /** Background work that failed (it is retried): a warning, not a problem of the data. */
  private warn(message: string): void {
    this.note(message);
    this.warningReporter.report({ kind: 'failure', where: this.paths.file, what: message });
  }

  private note(message: string): void {
    this.allWarnings.push(message);
    this.settings.logger?.(message);
  }
}

function copySummary(summary: SessionSummary): SessionSummary {
  return { ...summary, tags: [...summary.tags] };
}
