import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ChangeEmitter } from '../../core/changeEmitter';
import { sessionNotFound } from '../../core/errors';
import { Message, MessagePatch, NewMessage, NewSession, Session, SessionPatch, SessionSummary } from '../../core/model';
import { parseStoreQuery } from '../../core/search';
import {
  ChangeListener,
  Disposable,
  ListOptions,
  SearchHit,
  SearchOptions,
  SessionStore,
  StoreAccess,
  StoreWarning,
  VerifyReport,
  WarningListener,
  IndexProgress,
  IndexProgressListener,
} from '../../core/store';
import { prepareMessagePatch, prepareOrder, preparePatch } from '../../core/validate';
import { watchDirectory } from '../fs/directoryWatcher';
import { SqliteStore, openSqliteStore, registerSqliteUpkeep } from './sqliteStore';
import { storeAccess, storePaths } from './storePaths';
import { formatStoreSpec } from '../storeSpec';

/**
 * Opens a SQLite store without creating anything: looking at the sessions of a workspace that
 * has none must not leave a database behind (the JSON store creates its folder lazily too). Until
 * the first session is created here, or another process creates the store (the folder is
 * watched), it answers as an empty store; from then on every call goes to the real one.
 */
export async function openSqliteStoreLazily(file: string): Promise<SessionStore> {
  const absolute = resolve(file);
  if (storeFilesExist(absolute)) {
    return openSqliteStore(absolute);
  }
  const lazy = new LazySqliteStore(absolute);
  registerSqliteUpkeep(lazy, lazy);
  return lazy;
}

function storeFilesExist(file: string): boolean {
  const paths = storePaths(file);
  return [paths.file, paths.backup, paths.journal].some((path) => existsSync(path));
}

const RESCAN_MS = 1_000;

/** Until the store exists there is nothing to snapshot or warn about; afterwards the real store answers. */
class LazySqliteStore implements SqliteStore {
  readonly spec: string;
  private real: Promise<SqliteStore> | undefined;
  private opened: SqliteStore | undefined;
  private readonly changes = new ChangeEmitter();
  private readonly warningEmitter = new ChangeEmitter<StoreWarning>();
  private readonly indexing = new ChangeEmitter<IndexProgress>();
  private readonly watcher: Disposable;
  private closed = false;

  constructor(private readonly file: string) {
    this.spec = formatStoreSpec({ kind: 'sqlite', file });
    const paths = storePaths(file);
    const names = new Set([paths.file, paths.backup, paths.journal].map((path) => basename(path)));
    this.watcher = watchDirectory(paths.directory, {
      onChange: (changed) => {
        if (changed === undefined || [...changed].some((name) => names.has(name))) {
          this.noticeCreatedElsewhere();
        }
      },
      rescanMs: RESCAN_MS,
    });
  }

  async create(input: NewSession): Promise<SessionSummary> {
    return (await this.open()).create(input);
  }

  async get(id: string): Promise<Session | undefined> {
    return this.real ? (await this.real).get(id) : undefined;
  }

  async list(options?: ListOptions): Promise<SessionSummary[]> {
    return this.real ? (await this.real).list(options) : [];
  }

  // Until it exists, the store has no sessions: the same errors as an empty store, in its order.
  async appendMessages(id: string, messages: readonly NewMessage[]): Promise<Message[]> {
    if (this.real) {
      return (await this.real).appendMessages(id, messages);
    }
    throw sessionNotFound(id);
  }

  async update(id: string, patch: SessionPatch): Promise<SessionSummary> {
    if (this.real) {
      return (await this.real).update(id, patch);
    }
    preparePatch(patch);
    throw sessionNotFound(id);
  }

  async updateMessage(sessionId: string, messageId: string, patch: MessagePatch): Promise<Message> {
    if (this.real) {
      return (await this.real).updateMessage(sessionId, messageId, patch);
    }
    prepareMessagePatch(patch);
    throw sessionNotFound(sessionId);
  }

  async reorderMessages(sessionId: string, order: readonly string[]): Promise<void> {
    if (this.real) {
      return (await this.real).reorderMessages(sessionId, order);
    }
    prepareOrder(order);
    throw sessionNotFound(sessionId);
  }

  async delete(id: string): Promise<boolean> {
    return this.real ? (await this.real).delete(id) : false;
  }

  async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    if (this.real) {
      return (await this.real).search(query, options);
    }
    parseStoreQuery(query);
    options?.signal?.throwIfAborted();
    return [];
  }

  onDidChange(listener: ChangeListener): Disposable {
    return this.changes.on(listener);
  }

  onDidWarn(listener: WarningListener): Disposable {
    return this.warningEmitter.on(listener);
  }

  onDidIndex(listener: IndexProgressListener): Disposable {
    return this.indexing.on(listener);
  }

  async prepareSearch(): Promise<void> {
    await (await this.real)?.prepareSearch?.();
  }

  async access(): Promise<StoreAccess> {
    if (this.real) {
      return (await this.real).access();
    }
    return storeAccess(storePaths(this.file));
  }

  get databaseLoaded(): boolean {
    return this.opened?.databaseLoaded ?? false;
  }

  get warnings(): readonly string[] {
    return this.opened?.warnings ?? [];
  }

  async snapshotNow(): Promise<boolean> {
    return this.real ? (await this.real).snapshotNow() : false;
  }

  async verify(options?: { repair?: boolean }): Promise<VerifyReport> {
    return this.real ? (await this.real).verify(options) : { problems: [], repairs: [] };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher.dispose();
    await (await this.real?.catch(() => undefined))?.close();
    this.changes.clear();
    this.warningEmitter.clear();
    this.indexing.clear();
  }

  private open(): Promise<SqliteStore> {
    // A write can come before the watcher noticed another process creating the store: what that
    // process wrote is news to listeners all the same.
    const createdElsewhere = !this.real && storeFilesExist(this.file);
    this.real ??= openSqliteStore(this.file).then(
      (store) => {
        this.opened = store;
        this.watcher.dispose();
        store.onDidChange((change) => this.changes.emit(change));
        store.onDidWarn((warning) => this.warningEmitter.emit(warning));
        store.onDidIndex?.((progress) => this.indexing.emit(progress));
        if (createdElsewhere) {
          this.changes.emit({ kind: 'reloaded', external: true });
        }
        return store;
      },
      (error: unknown) => {
        this.real = undefined; // the next call tries again
        throw error;
      },
    );
    return this.real;
  }

  /** Another process created the store: from now on this one reads it too. */
  private noticeCreatedElsewhere(): void {
    if (this.real || this.closed || !storeFilesExist(this.file)) {
      return;
    }
    // open() announces what the other process wrote ('reloaded').
    this.open().catch(() => undefined); // still answers as empty; the next rescan or write tries again
  }
}
