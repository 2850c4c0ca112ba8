import { statSync } from 'node:fs';
import { storeUnavailable } from '../../core/errors';
import { SessionSummary } from '../../core/model';
import { StoreChange } from '../../core/store';
import { ioFailure } from '../fs/ioErrors';
import { isLogSealed } from '../fs/replaceLog';
import { ensureDirectory } from '../fs/writeAccess';
import { DatabaseSource, createDatabaseFile } from './database/databaseFile';
import { loadSnapshot } from './database/databaseLoader';
import { appendRecords, journalHolds } from './journal/journal';
import { SessionOp } from './journal/journalRecords';
import { Statements } from './database/statements';
import { StoreState, SummaryView } from './state/storeState';
import { StorePaths, storeAccess } from './storePaths';
import { ApplyStatus } from './state/summaryFold';
import { loadSqlJs } from './database/wasmLoader';

// Keeps one process's StoreState in step with the files: catches up with the journal before
// each operation, loads the database when first needed (or in the background), reloads it when
// the journal was replaced in a way that cannot be followed, and writes operations durably to
// the journal before applying them in journal order like everyone else's.

export interface EngineOptions {
  quickCheckMaxBytes: number;
  emit: (change: StoreChange) => void;
  warn: (message: string) => void;
  /** Called after each (re)load of the database. */
  afterLoad: (source: DatabaseSource) => void;
}

const RELOAD_ATTEMPTS = 3;
const SEAL_WAIT_MS = 30_000;

export class SqliteEngine {
  private loading: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  /** The last load found nothing on disk (a store not created yet, or deleted): the next write creates it. */
  private storeFilesMissing = false;
  private storeCreated = false;

  constructor(
    readonly paths: StorePaths,
    readonly state: StoreState,
    /** Whether the summaries can answer before the database has loaded (a usable sidecar). */
    private summariesReady: boolean,
    private readonly options: EngineOptions,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** False while the store answers from the summaries sidecar only. */
  get databaseLoaded(): boolean {
    return this.state.databaseLoaded;
  }

  /** Journal records this process could not apply since the last repair. */
  get problems(): readonly string[] {
    return this.state.problems;
  }

  /** The summaries as this process last caught up (after its own writes, say). */
  summaryOf(id: string): SessionSummary | undefined {
    return this.state.summaryOf(id);
  }

  /** The state, caught up, for operations that need only the summaries. */
  async current(): Promise<SummaryView> {
    if (!this.summariesReady) {
      await this.load();
    }
    await this.sync();
    return this.state;
  }

  /** The loaded database, caught up. */
  async database(): Promise<Statements> {
    if (!this.state.databaseLoaded) {
      await this.load();
    }
    await this.sync();
    const sql = this.state.sql;
    if (!sql) {
      throw storeUnavailable(`${this.paths.file} is closed`);
    }
    return sql;
  }

  /** Applies what the journal gained since; reloads when it cannot simply be followed. */
  async sync(): Promise<void> {
    this.assertOpen();
    for (let attempt = 0; this.summariesReady && this.state.catchUp() === 'reload'; attempt++) {
      if (attempt >= RELOAD_ATTEMPTS) {
        throw storeUnavailable(`${this.paths.journal} keeps being replaced; try again`);
      }
      await this.load();
    }
  }

  /** (Re)loads the database from disk, unless a load is under way; `fullCheck` forces quick_check. */
  load(options: { fullCheck?: boolean } = {}): Promise<void> {
    this.loading ??= this.loadNow(options.fullCheck ?? false).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Whether the store's folder and journal can be written (read-only mounts and folders cannot). */
  writable(): boolean {
    return storeAccess(this.paths).writable;
  }

  /** Appends an operation durably, then applies the journal up to it; returns how it went. */
  async write(op: SessionOp): Promise<ApplyStatus> {
    this.assertOpen();
    await this.ensureStoreFiles();
    this.state.expectOwn(op);
    try {
      await this.appendDurably(op);
    } catch (error) {
      this.state.takeOwnOutcome(op.id);
      throw ioFailure('write to', this.paths.journal, error);
    }
    await this.sync();
    // Undefined only if a reload swallowed the record's outcome; it is durable either way.
    return this.state.takeOwnOutcome(op.id) ?? 'applied';
  }

  /** True once after a write created the store's files (its sidecar is then due). */
  takeStoreCreated(): boolean {
    const created = this.storeCreated;
    this.storeCreated = false;
    return created;
  }

  /**
   * The first write creates the folder and an empty database file beside the journal — also
   * after the folder was deleted while the store was open: every write first catches up, which
   * reloads such a store as empty. Known from the last load, so writes need no stat to know it.
   */
  private async ensureStoreFiles(): Promise<void> {
    if (!this.storeFilesMissing) {
      return;
    }
    try {
      ensureDirectory(this.paths.directory);
      await createDatabaseFile(await loadSqlJs(), this.paths);
    } catch (error) {
      throw ioFailure('create', this.paths.file, error);
    }
    this.storeFilesMissing = false;
    this.storeCreated = true;
  }

  /**
   * One durable append. If the journal was being rotated meanwhile (sealed), the record may have
   * missed the copy into the new journal: it is written again once that is in place, before the
   * caller hears back, so that this process's records keep their order across a rotation.
   */
  private async appendDurably(op: SessionOp): Promise<void> {
    for (;;) {
      const { ino } = appendRecords(this.paths.journal, [op]);
      if (!isLogSealed(this.paths.journal, ino)) {
        return;
      }
      const deadline = Date.now() + SEAL_WAIT_MS;
      while (isLogSealed(this.paths.journal, ino)) {
        if (Date.now() > deadline) {
          throw new Error('the journal stayed sealed for a rotation that did not finish');
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (statSync(this.paths.journal).ino === ino || journalHolds(this.paths.journal, op.id)) {
        return; // the rotation gave up, or copied the record after all
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.loading?.catch(() => undefined);
    this.state.close();
  }

  private async loadNow(fullCheck: boolean): Promise<void> {
    const quickCheckMaxBytes = fullCheck ? Infinity : this.options.quickCheckMaxBytes;
    const snapshot = await loadSnapshot(this.paths, { quickCheckMaxBytes, signal: this.abort.signal, writable: () => this.writable() });
    if (this.closed) {
      snapshot.database.sql.freeAll();
      snapshot.database.sql.db.close();
      return;
    }
    snapshot.warnings.forEach((warning) => this.options.warn(warning));
    const changed = this.state.adoptDatabase(snapshot.database, snapshot.journal, snapshot.replayAfter);
    if (changed && this.summariesReady) {
      this.options.emit({ kind: 'reloaded', external: true });
    }
    this.summariesReady = true;
    this.storeFilesMissing = snapshot.source === 'none';
    this.options.afterLoad(snapshot.source);
  }

  private assertOpen(): void {
    if (this.closed) {
      throw storeUnavailable(`the store ${this.paths.file} is closed`);
    }
  }
}
