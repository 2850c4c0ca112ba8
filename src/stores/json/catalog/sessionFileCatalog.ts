import { join } from 'node:path';
import { SessionSummary, compareSummaries, summarize } from '../../../core/model';
import { AppliedRecord } from '../log/sessionFold';
import { FileStamp, sameStamp, stampIfExists } from '../files/fileStamp';
import { sessionFileName } from '../files/sessionFileNames';
import { LoadOutcome, SessionState, loadSessionState, refreshSessionState } from '../log/sessionState';
import { IndexEntry } from './summaryIndex';

// What one store knows of its directory: a summary and file stamp for every session file (what
// list needs), and the fully folded state of the sessions used lately (what get and append need),
// kept to a bounded number so a large store does not hold every message in memory.

export type ChangeKind = 'created' | 'appended' | 'updated' | 'deleted';

export interface RefreshResult {
  /** Undefined when there is no readable session of that id. */
  state: SessionState | undefined;
  /** What changed since this store last looked, leaving out records in `ownIds`. */
  kinds: ChangeKind[];
}

const DEFAULT_CACHED_SESSIONS = 64;

/** Told of every session file read that holds lines or a header it cannot use. */
export type ProblemListener = (state: SessionState) => void;

export class SessionFileCatalog {
  private readonly entries: Map<string, IndexEntry>;
  private readonly cached = new Map<string, SessionState>();
  private sorted: SessionSummary[] | undefined;
  /** Set when the entries differ from what index.json last held. */
  indexDirty = false;

  constructor(
    readonly directory: string,
    entries: Map<string, IndexEntry>,
    private readonly cacheSize = DEFAULT_CACHED_SESSIONS,
    private readonly onProblems: ProblemListener = () => undefined,
  ) {
    this.entries = entries;
  }

  pathOf(id: string): string {
    return join(this.directory, sessionFileName(id));
  }

  /** Readable sessions, most recently updated first. */
  summaries(): readonly SessionSummary[] {
    this.sorted ??= [...this.entries.values()]
      .flatMap((entry) => (entry.summary ? [entry.summary] : []))
      .sort(compareSummaries);
    return this.sorted;
  }

  summaryOf(id: string): SessionSummary | undefined {
    return this.entries.get(id)?.summary ?? undefined;
  }

  knownIds(): string[] {
    return [...this.entries.keys()];
  }

  stampOf(id: string): FileStamp | undefined {
    return this.entries.get(id)?.stamp;
  }

  indexEntries(): ReadonlyMap<string, IndexEntry> {
    return this.entries;
  }

  /** Brings one session up to date with its file and says what changed. */
  refresh(id: string, ownIds?: ReadonlySet<string>): RefreshResult {
    const entry = this.entries.get(id);
    const cached = this.cached.get(id);
    const stamp = stampIfExists(this.pathOf(id));
    if (stamp && this.isCurrent(id, stamp)) {
      if (cached) {
        this.touch(cached);
      }
      return { state: cached, kinds: [] };
    }
    const outcome = stamp && (cached ? refreshSessionState(cached) : loadSessionState(this.pathOf(id), id));
    if (!outcome) {
      return { state: undefined, kinds: this.forget(id) && !ownIds ? ['deleted'] : [] };
    }
    if (outcome.state.problems.length > 0) {
      this.onProblems(outcome.state);
    }
    return { state: this.store(outcome), kinds: changeKinds(entry, outcome, ownIds) };
  }

  /** Whether what we hold already reflects the file: a loaded session, or a known unreadable file. */
  private isCurrent(id: string, stamp: FileStamp): boolean {
    const cached = this.cached.get(id);
    if (cached) {
      return sameStamp(cached.stamp, stamp);
    }
    const entry = this.entries.get(id);
    return entry?.summary === null && sameStamp(entry.stamp, stamp);
  }

  /** Drops a session whose file is gone; true when it was a readable session. */
  forget(id: string): boolean {
    const entry = this.entries.get(id);
    this.cached.delete(id);
    if (!entry) {
      return false;
    }
    this.entries.delete(id);
    this.changed();
    return entry.summary !== null;
  }

  private store(outcome: LoadOutcome): SessionState | undefined {
    const { state } = outcome;
    const previous = this.entries.get(state.id);
    const summary = state.session ? summarize(state.session) : null;
    if (!previous || !sameStamp(previous.stamp, state.stamp)) {
      this.changed();
    }
    this.entries.set(state.id, { stamp: { ...state.stamp }, summary });
    if (!state.session) {
      this.cached.delete(state.id);
      return undefined;
    }
    this.touch(state);
    return state;
  }

  private touch(state: SessionState): void {
    this.cached.delete(state.id);
    this.cached.set(state.id, state);
    if (this.cached.size > this.cacheSize) {
      const oldest = this.cached.keys().next().value;
      if (oldest !== undefined) {
        this.cached.delete(oldest);
      }
    }
  }

  private changed(): void {
    this.sorted = undefined;
    this.indexDirty = true;
  }
}

function changeKinds(before: IndexEntry | undefined, outcome: LoadOutcome, ownIds?: ReadonlySet<string>): ChangeKind[] {
  const after = outcome.state.session;
  if (ownIds) {
    return outcome.reloaded ? [] : kindsOfRecords(outcome.applied.filter((record) => !ownIds.has(record.id)));
  }
  if (before && sameStamp(before.stamp, outcome.state.stamp)) {
    return [];
  }
  if (!before?.summary) {
    return after ? ['created'] : [];
  }
  if (!after) {
    return ['deleted'];
  }
  return outcome.reloaded ? kindsOfDifference(before.summary, summarize(after)) : kindsOfRecords(outcome.applied);
}

function kindsOfRecords(applied: readonly AppliedRecord[]): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (applied.some((record) => record.kind === 'message')) {
    kinds.push('appended');
  }
  if (applied.some((record) => record.kind !== 'message' && record.kind !== 'header')) {
    kinds.push('updated');
  }
  return kinds;
}

/** After a whole-file read some change is certain (the stamp moved), even if the summary hides it. */
function kindsOfDifference(before: SessionSummary, after: SessionSummary): ChangeKind[] {
  const appended = after.messageCount !== before.messageCount;
  const updated =
    after.title !== before.title ||
    after.pinned !== before.pinned ||
    after.tags.join(',') !== before.tags.join(',') ||
    (!appended && after.updatedAt !== before.updatedAt);
  const kinds: ChangeKind[] = appended ? ['appended'] : [];
  return updated || !appended ? [...kinds, 'updated'] : kinds;
}
