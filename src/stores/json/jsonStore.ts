import { join, resolve } from 'node:path';
import { ChangeEmitter } from '../../core/changeEmitter';
import { MultichatError, isMultichatError, sessionNotFound, storeUnavailable } from '../../core/errors';
import { isValidId, newId } from '../../core/ids';
import {
  Message,
  MessagePatch,
  NewMessage,
  NewSession,
  Session,
  SessionPatch,
  SessionSummary,
  laterOf,
  nowIso,
} from '../../core/model';
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
  StoreProblem,
  VerifyReport,
  WarningListener,
} from '../../core/store';
import { prepareMessagePatch, prepareMessages, prepareOrder, preparePatch, prepareSession } from '../../core/validate';
import { refuseRepairIfReadOnly } from '../../core/verifyStore';
import { WarningReporter } from '../../core/warningReporter';
import { describeIoCause, ioFailure, withIoFailure, withIoFailureAsync } from '../fs/ioErrors';
import { writeAccess } from '../fs/writeAccess';
import { Compactor } from './log/compaction';
import { openCatalog } from './catalog/directoryScan';
import { DirectoryFollower } from './catalog/directoryFollower';
import { IndexSaver } from './catalog/indexSaver';
import { CachedSearch } from '../shared/search/cachedSearch';
import { jsonSearchSource } from './search/jsonSearchSource';
import { verifySessionFiles } from './jsonVerify';
import { MessageRecord, NameRecord, OrderRecord, editRecord, headerRecord, messageRecord, toLines, updateRecord } from './log/records';
import { namingAfterAppend, orderAfterReorder } from '../../core/sessionRules';
import { ChangeKind, SessionFileCatalog } from './catalog/sessionFileCatalog';
import { appendSessionRecords, createSessionFile, deleteSessionFile } from './files/sessionFile';
import { describeLineProblem } from './log/sessionFold';
import { SessionState } from './log/sessionState';
import { INDEX_FILE } from './catalog/summaryIndex';
import { WORD_INDEX_FILE } from './files/sessionFileNames';
import { formatStoreSpec } from '../storeSpec';

// The JSON store (`json:<dir>`): one append-only JSON-lines file per session, a summary index
// that is only a cache, and a directory watcher that turns other processes' writes into change
// events. Every write is synchronous and durable before its promise resolves, and after each
// write the store reads the file's new tail, so its view is always the file's order.

export interface JsonStoreOptions {
  /** Watch the directory for other processes' changes (default true). */
  watch?: boolean;
  /** How long file events are batched before they are applied, in ms (default 30). */
  watchDebounceMs?: number;
  /** How often the whole directory is rescanned for changes a watcher missed, in ms (default 5000). */
  rescanMs?: number;
  /** How long after a change the summary index is saved, in ms (default 1000). */
  indexSaveDelayMs?: number;
  /** How many fully loaded sessions stay in memory (default 64). */
  cachedSessions?: number;
}

const DEFAULT_INDEX_SAVE_DELAY_MS = 1_000;

export async function openJsonStore(directory: string, options: JsonStoreOptions = {}): Promise<SessionStore> {
  const absolute = resolve(directory);
  const warnings = new WarningReporter();
  let catalog: SessionFileCatalog;
  try {
    catalog = openCatalog(absolute, {
      cacheSize: options.cachedSessions,
      onProblems: (state) =>
        state.problems.forEach((problem) => warnings.report({ kind: 'corrupt', sessionId: state.id, where: state.path, what: describeLineProblem(problem) })),
    });
  } catch (error) {
    throw ioFailure('open the session folder', absolute, error);
  }
  return new JsonSessionStore(absolute, catalog, { ...options, warnings });
}

class JsonSessionStore implements SessionStore {
  readonly spec: string;
  private readonly changes = new ChangeEmitter();
  private readonly indexSaver: IndexSaver;
  private readonly follower: DirectoryFollower | undefined;
  private readonly compactor: Compactor;
  private readonly warnings: WarningReporter;
  private closed = false;
  private readonly creating = new Set<Promise<void>>();
  private readonly searcher: CachedSearch;
  private readonly indexing = new ChangeEmitter<IndexProgress>();

  constructor(
    private readonly directory: string,
    private readonly catalog: SessionFileCatalog,
    options: JsonStoreOptions & { warnings: WarningReporter },
  ) {
    this.spec = formatStoreSpec({ kind: 'json', directory });
    this.warnings = options.warnings;
    this.indexSaver = new IndexSaver(join(directory, INDEX_FILE), catalog, {
      delayMs: options.indexSaveDelayMs ?? DEFAULT_INDEX_SAVE_DELAY_MS,
      writable: () => writeAccess([directory]).writable,
    });
    this.indexSaver.schedule();
    this.compactor = new Compactor({
      pathOf: (id) => catalog.pathOf(id),
      // Our own rewrite: catch up without announcing it as another process's change.
      compacted: (id) => void catalog.refresh(id, new Set()),
      onFailure: (error) => this.noteBackgroundFailure('could not compact a session log', error),
    });
    this.searcher = new CachedSearch({
      file: join(directory, WORD_INDEX_FILE),
      of: this.spec,
      source: jsonSearchSource(catalog, (id) => this.refresh(id)),
      writable: () => writeAccess([directory]).writable,
      onSaveFailure: (error) => this.noteBackgroundFailure('could not save the search index', error),
      onProgress: (done, total) => this.indexing.emit({ done, total }),
    });
    this.changes.on((change) => this.searcher.noteChange(change));
    this.follower =
      options.watch === false
        ? undefined
        : new DirectoryFollower(catalog, {
            refresh: (id) => this.refresh(id),
            onFailure: (error) => this.noteBackgroundFailure('could not read a change made by another process', error),
            debounceMs: options.watchDebounceMs,
            rescanMs: options.rescanMs,
          });
  }

  async create(input: NewSession): Promise<SessionSummary> {
    const session = prepareSession(input);
    this.assertOpen();
    const text = toLines([headerRecord(session), ...session.messages.map(messageRecord)]);
    const writing = withIoFailureAsync('create', this.catalog.pathOf(session.id), () => createSessionFile(this.directory, session.id, text));
    this.creating.add(writing);
    try {
      await writing;
    } finally {
      this.creating.delete(writing);
    }
    this.follower?.folderCreated();
    const ownIds = new Set([session.id, ...session.messages.map((message) => message.id)]);
    this.refreshAfterWrite(session.id, ownIds);
    this.emit('created', session.id, false);
    return this.summaryOf(session.id);
  }

  async get(id: string): Promise<Session | undefined> {
    this.assertOpen();
    const state = isValidId(id) ? this.refresh(id) : undefined;
    return state?.session && structuredClone(state.session);
  }

  async list(options: ListOptions = {}): Promise<SessionSummary[]> {
    this.assertOpen();
    return this.catalog
      .summaries()
      .filter((summary) => options.tag === undefined || summary.tags.includes(options.tag))
      .slice(0, options.limit)
      .map(copySummary);
  }

  async appendMessages(id: string, input: readonly NewMessage[]): Promise<Message[]> {
    const messages = prepareMessages(input);
    const state = this.requireSession(id);
    const fresh = messages.filter((message) => !state.recordIds.has(message.id));
    if (fresh.length > 0) {
      // Written with the message that names the session, so every reader folds the same title.
      const naming = state.session && namingAfterAppend(state.session, fresh);
      const records: (MessageRecord | NameRecord)[] = fresh.map(messageRecord);
      if (naming) {
        records.push({ type: 'name', id: newId(), title: naming.title });
      }
      this.writeRecords(id, toLines(records), new Set(records.map((record) => record.id)));
    }
    this.emit('appended', id, false);
    return messages;
  }

  async update(id: string, input: SessionPatch): Promise<SessionSummary> {
    const patch = preparePatch(input);
    const { session } = this.requireSession(id);
    const record = updateRecord(newId(), patch, patch.updatedAt ?? laterOf(session.updatedAt, nowIso()));
    this.writeRecords(id, toLines([record]), new Set([record.id]));
    this.emit('updated', id, false);
    return this.summaryOf(id);
  }

  async updateMessage(sessionId: string, messageId: string, input: MessagePatch): Promise<Message> {
    const patch = prepareMessagePatch(input);
    const state = this.requireSession(sessionId);
    requireMessage(state, messageId);
    const record = editRecord(newId(), messageId, patch);
    this.writeRecords(sessionId, toLines([record]), new Set([record.id]));
    this.emit('updated', sessionId, false);
    const latest = this.requireSession(sessionId);
    this.compactor.consider(latest, messageId);
    return { ...requireMessage(latest, messageId) };
  }

  /**
   * One order record, appended like any other: it applies where it lands in the file, so an append
   * from another process that lands after it simply follows it, and one that landed before it is
   * arranged by it. Nothing is written when the messages are already in that order.
   */
  async reorderMessages(sessionId: string, input: readonly string[]): Promise<void> {
    const order = prepareOrder(input);
    const { session } = this.requireSession(sessionId);
    if (!orderAfterReorder(session.messages, order)) {
      return;
    }
    const record: OrderRecord = { type: 'order', id: newId(), messageIds: order };
    this.writeRecords(sessionId, toLines([record]), new Set([record.id]));
    this.emit('updated', sessionId, false);
    this.compactor.consider(this.requireSession(sessionId));
  }

  async delete(id: string): Promise<boolean> {
    this.assertOpen();
    if (!isValidId(id) || !this.refresh(id)) {
      return false;
    }
    const deleted = withIoFailure('delete', this.catalog.pathOf(id), () => deleteSessionFile(this.directory, id));
    this.catalog.forget(id);
    this.indexSaver.schedule();
    if (deleted) {
      this.emit('deleted', id, false);
    }
    return deleted;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    this.assertOpen();
    return this.searcher.search(query, options);
  }

  onDidChange(listener: ChangeListener): Disposable {
    return this.changes.on(listener);
  }

  onDidWarn(listener: WarningListener): Disposable {
    return this.warnings.on(listener);
  }

  onDidIndex(listener: IndexProgressListener): Disposable {
    return this.indexing.on(listener);
  }

  async prepareSearch(): Promise<void> {
    this.assertOpen();
    await this.searcher.catchUp();
  }

  async access(): Promise<StoreAccess> {
    return writeAccess([this.directory]);
  }

  async verify(options: { repair?: boolean } = {}): Promise<VerifyReport> {
    this.assertOpen();
    const repair = options.repair === true;
    if (repair) {
      const readOnly = await refuseRepairIfReadOnly(this.directory, await this.access(), () => this.verify());
      if (readOnly) {
        return readOnly;
      }
    }
    const outcome = await verifySessionFiles(this.directory, repair);
    outcome.repairedIds.forEach((id) => this.refresh(id));
    if (repair) {
      this.warnings.forgetReported();
      await this.indexSaver.saveNow(true);
      outcome.repairs.push(...(outcome.indexUnreadable ? ['rebuilt index.json from the session files'] : []));
      const searchRepair = await this.searcher.repair();
      outcome.repairs.push(...(searchRepair ? [searchRepair] : []));
    } else if (this.indexSaver.lastError !== undefined) {
      await this.indexSaver.saveNow(); // the disk may have room again: only a save that still fails is a problem
    }
    return { problems: [...outcome.problems, ...this.indexProblems()], repairs: outcome.repairs };
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.follower?.dispose();
    // A create still writing its file (they are the store's only asynchronous writes) finishes first.
    await Promise.allSettled([...this.creating]);
    await this.compactor.settle();
    await this.indexSaver.saveNow();
    await this.searcher.close();
    this.changes.clear();
    this.warnings.clear();
    this.indexing.clear();
  }

  /** Brings one session up to date with its file, announcing what other processes changed. */
  private refresh(id: string): SessionState | undefined {
    const { state, kinds } = withIoFailure('read', this.catalog.pathOf(id), () => this.catalog.refresh(id));
    this.announce(id, kinds);
    return state;
  }

  private refreshAfterWrite(id: string, ownIds: ReadonlySet<string>): void {
    const { kinds } = this.catalog.refresh(id, ownIds);
    this.announce(id, kinds);
  }

  private announce(id: string, kinds: readonly ChangeKind[]): void {
    this.indexSaver.schedule();
    kinds.forEach((kind) => this.emit(kind, id, true));
  }

  private requireSession(id: string): SessionState & { session: Session } {
    this.assertOpen();
    const state = isValidId(id) ? this.refresh(id) : undefined;
    if (!state?.session) {
      throw sessionNotFound(id);
    }
    return state as SessionState & { session: Session };
  }

  private writeRecords(id: string, text: string, ownIds: ReadonlySet<string>): void {
    try {
      withIoFailure('write to', this.catalog.pathOf(id), () => appendSessionRecords(this.catalog.pathOf(id), id, text));
    } catch (error) {
      if (isMultichatError(error, 'not-found')) {
        this.refresh(id);
      }
      throw error;
    }
    this.refreshAfterWrite(id, ownIds);
  }

  private summaryOf(id: string): SessionSummary {
    const summary = this.catalog.summaryOf(id);
    if (!summary) {
      throw sessionNotFound(id);
    }
    return copySummary(summary);
  }

  private emit(kind: ChangeKind, sessionId: string, external: boolean): void {
    this.changes.emit({ kind, sessionId, external });
  }

  /**
   * Background work has no caller to fail to. Its failures (a compaction on a full disk) lose
   * nothing — the logs stay as they were and the work is tried again later — so they are
   * warnings, not problems of the data for verify to report.
   */
  private noteBackgroundFailure(what: string, error: unknown): void {
    this.warnings.report({ kind: 'failure', where: this.directory, what: `${what}: ${describeIoCause(error)}` });
  }

  private indexProblems(): StoreProblem[] {
    const indexError: unknown = this.indexSaver.lastError;
    const where = join(this.directory, INDEX_FILE);
    return indexError === undefined ? [] : [{ where, what: `could not save the summary index: ${describeIoCause(indexError)}` }];
  }

  private assertOpen(): void {
    if (this.closed) {
      throw storeUnavailable(`the store ${this.spec} is closed`);
    }
  }
}

function requireMessage(state: SessionState, messageId: string): Message {
  const message = state.messages.get(messageId);
  if (!message) {
    throw new MultichatError('not-found', `no such message: ${messageId}`);
  }
  return message;
}

function copySummary(summary: SessionSummary): SessionSummary {
  return { ...summary, tags: [...summary.tags] };
}
