import { SessionSummary, compareSummaries } from '../../../core/model';
import { StoreChange, StoreWarning } from '../../../core/store';
import { DatabaseWriter } from '../database/applyOps';
import { readJournalSince } from '../journal/journal';
import { JournalChunk, JournalEntry } from '../journal/journalChunk';
import { JournalCursor } from '../journal/journalCursor';
import { JournalRecord, SessionOp, journalRecordSchema, namedSessionId, opSessionId } from '../journal/journalRecords';
import { readAllSummaries } from '../database/sessionRows';
import { Statements } from '../database/statements';
import { ApplyResult, ApplyStatus, SummaryFold } from './summaryFold';

// One process's view of the store: the journal position it has reached, the sessions' summaries
// and, once loaded, the database. Records are applied in journal order — to the database when
// it is loaded, otherwise folded into the summaries — and each applied change is announced,
// marked external unless this process wrote it.

export interface LoadedDatabase {
  sql: Statements;
  writer: DatabaseWriter;
}

export interface JournalProgress {
  /** Session operations applied since the last snapshot marker, and their journal bytes. */
  opsSinceSnapshot: number;
  bytesSinceSnapshot: number;
  bytesSinceSidecar: number;
}

export interface StateHooks {
  emit: (change: StoreChange) => void;
  /** A journal line this process could not apply: unreadable, or not a valid record. */
  corrupt: (warning: StoreWarning) => void;
}

/** What the store asks of its state after catching up: which sessions exist, and their summaries. */
export interface SummaryView {
  hasSession(id: string): boolean;
  summaryOf(id: string): SessionSummary | undefined;
  /** Newest first. */
  sortedSummaries(): readonly SessionSummary[];
}

const EVENT_KIND = { create: 'created', append: 'appended', update: 'updated', updateMessage: 'updated', reorder: 'updated', delete: 'deleted' } as const;

export class StoreState implements SummaryView {
  readonly summaries = new Map<string, SessionSummary>();
  readonly progress: JournalProgress = { opsSinceSnapshot: 0, bytesSinceSnapshot: 0, bytesSinceSidecar: 0 };
  readonly problems: string[] = [];
  private database: LoadedDatabase | undefined;
  private fold = new SummaryFold(this.summaries);
  private sorted: SessionSummary[] | undefined;
  /** Operations this process wrote (already validated), with how they turned out once applied. */
  private readonly ownOps = new Map<string, { op: SessionOp; status?: ApplyStatus }>();
  private silent = false;
  /**
   * Until the database loads: each session's version as the sidecar gave it, then the id of every
   * later operation that names the session (applied or not: a version that may be newer than the
   * database's only makes search read the session again, never trust a stale copy).
   */
  private folded: Map<string, string> | undefined;

  private constructor(
    private readonly journalPath: string,
    private cursor: JournalCursor,
    private readonly hooks: StateHooks,
  ) {}

  /** A state answering from summaries as of a journal position, plus the records after it. */
  static fromSummaries(
    journalPath: string,
    start: { summaries: readonly SessionSummary[]; versions?: ReadonlyMap<string, string>; cursor: JournalCursor; fresh: JournalEntry[]; unreadable?: readonly number[] },
    hooks: StateHooks,
  ): StoreState {
    const state = new StoreState(journalPath, start.cursor, hooks);
    start.summaries.forEach((summary) => state.summaries.set(summary.id, summary));
    state.folded = start.versions && new Map(start.versions);
    state.silent = true;
    state.applyEntries(start.fresh);
    state.silent = false;
    start.unreadable?.forEach((at) => state.reportUnreadableAt(at));
    return state;
  }

  get databaseLoaded(): boolean {
    return this.database !== undefined;
  }

  get sql(): Statements | undefined {
    return this.database?.sql;
  }

  /** The sessions' versions while the database is not loaded, when the sidecar gave them; undefined otherwise. */
  get versionsBeforeLoad(): ReadonlyMap<string, string> | undefined {
    return this.database ? undefined : this.folded;
  }

  get journalMark(): ReturnType<JournalCursor['mark']> {
    return this.cursor.mark();
  }

  get recentIds(): readonly string[] {
    return this.cursor.recentIds.slice(-256);
  }

  /**
   * Switches to a freshly loaded database: replays the journal after entry `index` of a full
   * read, then answers from the database. True when that brought in changes this process had not
   * seen (they are announced as one 'reloaded').
   */
  adoptDatabase(database: LoadedDatabase, chunk: JournalChunk, index: number): boolean {
    const before = this.cursor.position;
    this.reportUnreadable(chunk, index < 0 ? chunk.start : chunk.entries[index].end);
    const { cursor, fresh } = JournalCursor.fromFullRead(chunk, index);
    const previous = this.database;
    this.database = database;
    this.folded = undefined; // the database says from now on
    this.cursor = cursor;
    this.replaceSummaries(readAllSummaries(database.sql));
    // From here on, progress counts what the loaded snapshot does not hold.
    this.progress.opsSinceSnapshot = 0;
    this.progress.bytesSinceSnapshot = 0;
    this.silent = true;
    this.applyEntries(fresh);
    this.silent = false;
    if (previous && previous !== database) {
      previous.sql.freeAll();
      previous.sql.db.close();
    }
    const after = this.cursor.position;
    return before.ino !== after.ino || before.offset !== after.offset;
  }

  /**
   * Applies what others appended since; 'reload' when the journal was replaced in a way only a
   * reload can follow, or removed (the store's folder deleted: what is left on disk is the truth).
   */
  catchUp(): 'ok' | 'reload' {
    const { ino, offset } = this.cursor.position;
    const chunk = readJournalSince(this.journalPath, ino, offset);
    if (chunk.ino === 0 && ino !== 0) {
      return 'reload';
    }
    this.reportUnreadable(chunk, this.cursor.follows(chunk) ? offset : 0);
    const fresh = this.cursor.follows(chunk) ? this.cursor.takeTail(chunk) : this.cursor.continueInto(chunk);
    if (!fresh) {
      return 'reload';
    }
    this.applyEntries(fresh);
    return 'ok';
  }

  expectOwn(op: SessionOp): void {
    this.ownOps.set(op.id, { op });
  }

  /** How an operation this process wrote turned out (after catchUp applied it). */
  takeOwnOutcome(opId: string): ApplyStatus | undefined {
    const outcome = this.ownOps.get(opId)?.status;
    this.ownOps.delete(opId);
    return outcome;
  }

  hasSession(id: string): boolean {
    return this.summaries.has(id);
  }

  summaryOf(id: string): SessionSummary | undefined {
    return this.summaries.get(id);
  }

  /** Summaries newest first (cached until the next change). */
  sortedSummaries(): readonly SessionSummary[] {
    this.sorted ??= [...this.summaries.values()].sort(compareSummaries);
    return this.sorted;
  }

  /** Re-reads every summary from the database (after a repair changed it behind the writer's back). */
  refreshSummaries(): void {
    if (this.database) {
      this.replaceSummaries(readAllSummaries(this.database.sql));
    }
  }

  sidecarWritten(): void {
    this.progress.bytesSinceSidecar = 0;
  }

  close(): void {
    this.database?.sql.freeAll();
    this.database?.sql.db.close();
    this.database = undefined;
  }

  private replaceSummaries(summaries: readonly SessionSummary[]): void {
    this.summaries.clear();
    summaries.forEach((summary) => this.summaries.set(summary.id, summary));
    this.fold = new SummaryFold(this.summaries);
    this.sorted = undefined;
  }

  private applyEntries(entries: readonly JournalEntry[]): void {
    for (const entry of entries) {
      const record = this.ownOps.get(entry.id)?.op ?? this.validRecord(entry);
      if (record) {
        this.applyRecord(record, entry.end - entry.start);
      }
    }
  }

  private validRecord(entry: JournalEntry): JournalRecord | undefined {
    const parsed = journalRecordSchema.safeParse(entry.value);
    if (parsed.success) {
      return parsed.data;
    }
    const issue = parsed.error.issues[0];
    const what = `an invalid record at byte ${entry.start} (${issue.path.join('.') || 'record'}: ${issue.message}) was skipped`;
    this.hooks.corrupt({ kind: 'corrupt', sessionId: namedSessionId(entry.value), where: this.journalPath, what });
    return undefined;
  }

  /** Lines past `from` that are neither records nor a crash's leftovers (kept for verify --repair). */
  private reportUnreadable(chunk: JournalChunk, from: number): void {
    chunk.corruptOffsets.filter((at) => at >= from).forEach((at) => this.reportUnreadableAt(at));
  }

  private reportUnreadableAt(at: number): void {
    this.hooks.corrupt({ kind: 'corrupt', where: this.journalPath, what: `an unreadable line at byte ${at} was skipped` });
  }

  private applyRecord(record: JournalRecord, bytes: number): void {
    this.progress.bytesSinceSidecar += bytes;
    if (record.type === 'snapshot') {
      this.progress.opsSinceSnapshot = 0;
      this.progress.bytesSinceSnapshot = 0;
      return;
    }
    if (record.type === 'rotated') {
      return;
    }
    this.progress.opsSinceSnapshot++;
    this.progress.bytesSinceSnapshot += bytes;
    this.settle(record, this.applyOp(record));
    this.foldVersion(record);
  }

  private foldVersion(op: SessionOp): void {
    const sessionId = opSessionId(op);
    if (this.database || !this.folded) {
      return;
    }
    if (this.summaries.has(sessionId)) {
      this.folded.set(sessionId, op.id);
    } else {
      this.folded.delete(sessionId);
    }
  }

  private applyOp(op: SessionOp): ApplyResult {
    if (!this.database) {
      return this.fold.apply(op);
    }
    try {
      return this.database.writer.apply(op, this.summaries.get(opSessionId(op)));
    } catch (error) {
      this.problems.push(`could not apply journal record ${op.id}: ${(error as Error).message}`);
      return { status: 'ignored' };
    }
  }

  private settle(op: SessionOp, result: ApplyResult): void {
    const sessionId = opSessionId(op);
    const mine = this.ownOps.get(op.id);
    const own = mine !== undefined;
    if (mine) {
      mine.status = result.status;
    }
    if (result.status !== 'applied') {
      return;
    }
    if (result.summary) {
      this.summaries.set(sessionId, result.summary);
    } else {
      this.summaries.delete(sessionId);
    }
    this.sorted = undefined;
    if (!this.silent || own) {
      this.hooks.emit({ kind: EVENT_KIND[op.type], sessionId, external: !own });
    }
  }
}
