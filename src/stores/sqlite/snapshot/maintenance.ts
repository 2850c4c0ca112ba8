import { existsSync, statSync } from 'node:fs';
import { newId } from '../../../core/ids';
import { tryWithFileLock } from '../../fs/fileLock';
import { describeIoCause } from '../../fs/ioErrors';
import { databaseImage } from './databaseImage';
import { appendRecords } from '../journal/journal';
import { writeJournalMark } from '../database/schema';
import { readVersions } from '../database/sessionRows';
import { rotateJournal, writeSnapshotFile } from './snapshot';
import { SqliteEngine } from '../sqliteEngine';
import { writeSidecar } from './summarySidecar';

// Background upkeep: snapshots (export the database, replace the file atomically keeping the
// previous one as `.bak`, mark the journal, trim it) and summary sidecars. A snapshot costs
// O(database size), so it runs when the journal since the last one is large relative to the
// database, after many operations, or after a quiet spell; the sidecar is cheap and is
// refreshed more often so that a fresh process has little journal to fold.
//
// Upkeep only ever rewrites derived copies — the journal holds every change — so when it fails
// (a full disk) nothing is lost: temp files are gone, the previous files stay, and it is tried
// again after a pause that grows with each failure, rather than before every write. A store that
// cannot be written (read-only) is left exactly as it is.

export interface MaintenanceOptions {
  snapshotAfterOps: number;
  snapshotAfterBytes: number;
  snapshotIdleMs: number;
  sidecarAfterBytes: number;
  rotateJournalBytes: number;
  warn: (message: string) => void;
}

const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 60_000;

export class Maintenance {
  private snapshotting: Promise<boolean> | undefined;
  private sidecarWriting: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private databaseBytes = 0;
  /** After upkeep failed: not before this time, and how long the next pause will be. */
  private retryAt = 0;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: SqliteEngine,
    private readonly options: MaintenanceOptions,
  ) {}

  /**
   * Called after the journal moved on: schedules what is due. A writer that never yields to the
   * event loop (a bulk import awaiting one write after another) would never let a timer fire,
   * so once a snapshot is overdue twice over the write itself waits for it.
   */
  async check(): Promise<void> {
    if (!this.engine.state.databaseLoaded || this.engine.isClosed || Date.now() < this.retryAt) {
      return;
    }
    if (this.snapshotDue(2)) {
      await this.snapshotNow().catch((error: unknown) => this.options.warn(`snapshot failed: ${describeIoCause(error)}`));
      return;
    }
    await this.writeMissingSidecar();
    if (this.snapshotDue() || this.sidecarDue()) {
      this.soonTimer ??= setTimeout(() => this.runDue(), 20).unref();
    }
    this.armIdleTimer();
  }

  /** A store just created: the next fresh process lists from its sidecar. */
  private async writeMissingSidecar(): Promise<void> {
    if (this.engine.takeStoreCreated()) {
      await this.writeSidecarNow().catch((error: unknown) => this.options.warn(`could not write the sidecar: ${describeIoCause(error)}`));
    }
  }

  /** Snapshots now unless another process is at it; resolves true when this one did. */
  snapshotNow(): Promise<boolean> {
    this.snapshotting ??= this.upkeep(() => this.snapshotLocked(), false).finally(() => {
      this.snapshotting = undefined;
    });
    return this.snapshotting;
  }

  writeSidecarNow(): Promise<void> {
    this.sidecarWriting ??= this.upkeep(() => this.writeSidecar(), undefined).finally(() => {
      this.sidecarWriting = undefined;
    });
    return this.sidecarWriting;
  }

  /** On close: a snapshot when worth one, else at least a sidecar that holds every change. */
  async flushOnClose(): Promise<void> {
    await this.engine.sync();
    if (this.worthSnapshot() && (await this.snapshotNow())) {
      return;
    }
    if (this.engine.state.progress.bytesSinceSidecar > 0) {
      await this.writeSidecarNow();
    }
  }

  /** Whether what changed since the last snapshot is worth one on close or after a quiet spell. */
  worthSnapshot(): boolean {
    const progress = this.engine.state.progress;
    return progress.opsSinceSnapshot > 0 && progress.bytesSinceSnapshot * 64 >= this.databaseBytes;
  }

  async idle(): Promise<void> {
    await Promise.all([this.snapshotting, this.sidecarWriting]);
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.soonTimer);
    clearTimeout(this.retryTimer);
  }

  noteDatabaseSize(): void {
    this.databaseBytes = existsSync(this.engine.paths.file) ? statSync(this.engine.paths.file).size : 0;
  }

  /**
   * Snapshots cost O(database): due once the journal since the last one reaches 1/32 of the
   * database (or snapshotAfterBytes), or after snapshotAfterOps operations worth 1/64 of it.
   */
  private snapshotDue(factor = 1): boolean {
    const progress = this.engine.state.progress;
    const manyOps = progress.opsSinceSnapshot >= factor * this.options.snapshotAfterOps && this.worthSnapshot();
    return manyOps || progress.bytesSinceSnapshot >= factor * Math.max(this.options.snapshotAfterBytes, this.databaseBytes / 32);
  }

  private sidecarDue(): boolean {
    return this.engine.state.progress.bytesSinceSidecar >= this.options.sidecarAfterBytes;
  }

  private runDue(): void {
    this.soonTimer = undefined;
    const work = this.snapshotDue() ? this.snapshotNow() : this.sidecarDue() ? this.writeSidecarNow() : Promise.resolve();
    void work.catch((error: unknown) => this.options.warn(`background upkeep failed: ${describeIoCause(error)}`));
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worthSnapshot()) {
        void this.snapshotNow().catch((error: unknown) => this.options.warn(`snapshot failed: ${describeIoCause(error)}`));
      }
    }, this.options.snapshotIdleMs).unref();
  }

  /** Runs upkeep unless the store is read-only; a failure pauses upkeep, then retries it. */
  private async upkeep<T>(work: () => Promise<T>, skipped: T): Promise<T> {
    if (!this.engine.writable()) {
      return skipped;
    }
    try {
      const result = await work();
      this.retryAt = 0;
      this.retryMs = FIRST_RETRY_MS;
      return result;
    } catch (error) {
      this.pauseAfterFailure();
      throw error;
    }
  }

  private pauseAfterFailure(): void {
    this.retryAt = Date.now() + this.retryMs;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.check(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
  }

  private async snapshotLocked(): Promise<boolean> {
    await this.engine.database();
    return (await tryWithFileLock(this.engine.paths.file, () => this.snapshot())) ?? false;
  }

  /**
   * Holds the snapshot lock, so it only catches up: a reload (which may need to quarantine the
   * file under the same lock) is left to the next operation.
   */
  private async snapshot(): Promise<boolean> {
    const { state, paths } = this.engine;
    const sql = state.sql;
    if (!sql || this.engine.isClosed || state.catchUp() === 'reload') {
      return false;
    }
    const mark = state.journalMark;
    writeJournalMark(sql.db, mark);
    // The live database file when it can be reached, else a copy: at the peak, one copy fewer.
    const notes = await writeSnapshotFile(paths, databaseImage(sql.db) ?? sql.db.export());
    notes.forEach((note) => this.options.warn(note));
    appendRecords(paths.journal, [{ type: 'snapshot', id: newId(), covers: mark.id, fileIno: statSync(paths.file).ino }]);
    this.noteDatabaseSize();
    if (state.catchUp() === 'ok' && statSync(paths.journal).size >= this.options.rotateJournalBytes && existsSync(paths.backup)) {
      await rotateJournal(paths.journal, statSync(paths.backup).ino);
    }
    await this.writeSidecar();
    return true;
  }

  private async writeSidecar(): Promise<void> {
    const { state } = this.engine;
    if (!state.databaseLoaded || this.engine.isClosed || state.catchUp() === 'reload') {
      return;
    }
    // Newest first, as list() wants them: sorting an already sorted array is nearly free.
    const versions = state.sql ? readVersions(state.sql) : new Map<string, string>();
    const sidecar = { mark: state.journalMark, recent: state.recentIds, summaries: [...state.sortedSummaries()], versions };
    const bytesBefore = state.progress.bytesSinceSidecar;
    state.sidecarWritten();
    try {
      await writeSidecar(this.engine.paths.sidecar, sidecar);
    } catch (error) {
      state.progress.bytesSinceSidecar += bytesBefore; // still due
      throw error;
    }
  }
}
