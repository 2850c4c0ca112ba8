import { JournalChunk, JournalEntry, journalHeader } from './journalChunk';
import { JournalMark } from './journalRecords';

// How far this process has applied the journal. Every process applies records in file order, so
// all converge on one state. The cursor also decides whether a replaced journal (rotated after a
// snapshot, or repaired) can be followed incrementally: only when what it has applied is exactly
// a prefix of the new file; otherwise the store reloads from the snapshot.

const RECENT_IDS = 256;

export class JournalCursor {
  private seen = new Set<string>();
  /** The ids applied last, oldest first: duplicates of a record land soon after it. */
  private recent: string[] = [];
  /** A record known applied along with everything before it, though not in `seen` (fast open). */
  private base: string | null = null;
  private lastId: string | null = null;
  private lastLineStart = 0;

  private constructor(
    private ino: number,
    private offset: number,
    private header: string | null,
  ) {}

  /** A cursor that has applied `chunk` (read from the start) up to entry `index` (-1: none). */
  static fromFullRead(chunk: JournalChunk, index: number): { cursor: JournalCursor; fresh: JournalEntry[] } {
    const cursor = new JournalCursor(chunk.ino, 0, journalHeader(chunk));
    for (const entry of chunk.entries.slice(0, index + 1)) {
      cursor.remember(entry);
    }
    return { cursor, fresh: cursor.takeTail({ ...chunk, entries: chunk.entries.slice(index + 1) }) };
  }

  /**
   * A cursor resuming after a mark (everything up to it applied), given what follows it and the
   * ids of the records applied just before the mark, so that late duplicates of those are skipped.
   */
  static fromMark(mark: JournalMark, chunk: JournalChunk, recentIds: readonly string[] = []): { cursor: JournalCursor; fresh: JournalEntry[] } {
    const cursor = new JournalCursor(mark.ino, mark.offset, mark.header);
    recentIds.forEach((id) => cursor.seen.add(id));
    cursor.recent = recentIds.slice(-RECENT_IDS);
    cursor.base = mark.id;
    cursor.lastId = mark.id;
    cursor.lastLineStart = mark.lineStart;
    return { cursor, fresh: cursor.takeTail(chunk) };
  }

  get position(): { ino: number; offset: number } {
    return { ino: this.ino, offset: this.offset };
  }

  get recentIds(): readonly string[] {
    return this.recent;
  }

  /** Where a snapshot or sidecar taken now stands. */
  mark(): JournalMark {
    return { id: this.lastId ?? this.header, header: this.header, ino: this.ino, lineStart: this.lastLineStart, offset: this.offset };
  }

  /** True when `chunk` continues exactly where this cursor stopped. */
  follows(chunk: JournalChunk): boolean {
    return chunk.ino === this.ino && chunk.start === this.offset;
  }

  /** Entries of a continuing chunk not applied yet, in order; duplicates are skipped. */
  takeTail(chunk: JournalChunk): JournalEntry[] {
    const fresh = chunk.entries.filter((entry) => this.remember(entry));
    this.offset = chunk.end;
    return fresh;
  }

  /**
   * Follows a replaced journal (read from its start). Undefined when that would skip or reorder
   * records: the caller must then reload from the snapshot.
   */
  continueInto(chunk: JournalChunk): JournalEntry[] | undefined {
    const header = journalHeader(chunk);
    const body = header === null ? chunk.entries : chunk.entries.slice(1);
    const appliedUpTo = this.appliedPrefixLength(body);
    const startsCovered = appliedUpTo > 0 || header === this.header || this.covers(header);
    if (!startsCovered || body.slice(appliedUpTo).some((entry) => this.seen.has(entry.id))) {
      return undefined;
    }
    const next = new JournalCursor(chunk.ino, 0, header);
    chunk.entries.slice(0, chunk.entries.length - body.length + appliedUpTo).forEach((entry) => next.remember(entry));
    const fresh = next.takeTail({ ...chunk, entries: body.slice(appliedUpTo) });
    this.adopt(next);
    return fresh;
  }

  private adopt(other: JournalCursor): void {
    this.ino = other.ino;
    this.offset = other.offset;
    this.header = other.header;
    this.seen = other.seen;
    this.base = other.base;
    this.recent = other.recent;
    this.lastId = other.lastId;
    this.lastLineStart = other.lastLineStart;
  }

  /** How many leading records of `body` this cursor has applied (all of them up to `base`). */
  private appliedPrefixLength(body: readonly JournalEntry[]): number {
    const baseAt = this.base === null ? -1 : body.findIndex((entry) => entry.id === this.base);
    let length = baseAt + 1;
    while (length < body.length && this.seen.has(body[length].id)) {
      length++;
    }
    return length;
  }

  private covers(id: string | null): boolean {
    return id !== null && (this.seen.has(id) || id === this.base);
  }

  /** Records an entry as applied; false if it already was. */
  private remember(entry: JournalEntry): boolean {
    if (this.seen.has(entry.id)) {
      return false;
    }
    this.seen.add(entry.id);
    this.recent.push(entry.id);
    if (this.recent.length > 2 * RECENT_IDS) {
      this.recent = this.recent.slice(-RECENT_IDS);
    }
    this.lastId = entry.id;
    this.lastLineStart = entry.start;
    return true;
  }
}
