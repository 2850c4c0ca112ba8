import { Message, Session, SessionSummary, summarize } from '../../../core/model';
import { orderAfterReorder } from '../../../core/sessionRules';
import { SessionOp } from '../journal/journalRecords';
import { MESSAGES_PER_SESSION } from './schema';
import { Statements } from './statements';
import { readMessagePositions } from './sessionRows';
import { ApplyResult, appendedSummary, patchedSummary } from '../state/summaryFold';

// Applies journal operations to the database, each in one transaction. Operations are
// idempotent: a create of an existing session and messages whose id is already there are
// ignored, so replaying records a snapshot already holds changes nothing. The FTS4 tables index
// external content, so an old text is removed from the index before the row that holds it
// changes.
//
// New message text is indexed in batches: committing FTS4 changes one message at a time costs
// more than the rest of an append, as each commit writes and merges index segments. Messages
// wait in `unindexed` until flushIndex(), which search, snapshots and verify call first (and
// which runs here before anything removes text from the index, and once enough wait).

type ChangeOp = Exclude<SessionOp, { type: 'create' }>;

const INDEX_BATCH = 256;

export class DatabaseWriter {
  private unindexed: number[] = [];
  /** Session ids by rowid, for search (built on first use, then kept up to date). */
  private sessionIds: Map<number, string> | undefined;

  constructor(private readonly sql: Statements) {}

  /** Applies one operation, given the session's summary as the database has it (if any). */
  apply(op: SessionOp, current: SessionSummary | undefined): ApplyResult {
    const result = this.sql.transaction(() => (op.type === 'create' ? this.create(op.session, current) : this.change(op, current)));
    if (this.unindexed.length >= INDEX_BATCH) {
      this.flushIndex();
    }
    return result;
  }

  sessionIdOf(sid: number): string | undefined {
    this.sessionIds ??= new Map(this.sql.all('SELECT sid, id FROM sessions').map(([rowId, id]) => [Number(rowId), String(id)]));
    return this.sessionIds.get(sid);
  }

  /** Indexes the text of messages added since the last flush, in one transaction. */
  flushIndex(): void {
    if (this.unindexed.length === 0) {
      return;
    }
    const batch = this.unindexed;
    this.unindexed = [];
    this.sql.transaction(() =>
      batch.forEach((seq) => this.sql.run('INSERT INTO message_fts (docid, content) SELECT seq, content FROM messages WHERE seq = ?', [seq])),
    );
  }

  private change(op: ChangeOp, summary: SessionSummary | undefined): ApplyResult {
    if (!summary) {
      return { status: 'missing' };
    }
    switch (op.type) {
      case 'append':
        return this.append(summary, op.messages);
      case 'update':
        return this.update(summary, patchedSummary(summary, op.patch, op.at));
      case 'updateMessage':
        return this.updateMessage(summary, op);
      case 'reorder':
        return this.reorder(summary, op.messageIds);
      case 'delete':
        this.delete(summary.id);
        return { status: 'applied' };
    }
  }

  private create(session: Session, current: SessionSummary | undefined): ApplyResult {
    if (current) {
      return { status: 'ignored' };
    }
    // The record's message ids are distinct (its schema checks), so every message is new here.
    this.sql.run(
      `INSERT INTO sessions (id, title, created_at, updated_at, pinned, source, message_count, last_message_at, untitled)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        session.id,
        session.title,
        session.createdAt,
        session.updatedAt,
        Number(session.pinned),
        session.source,
        session.messages.length,
        session.lastMessageAt,
        Number(session.untitled),
      ],
    );
    this.indexTitle(session.id);
    this.writeTags(session.id, session.tags);
    const sid = this.insertMessages(session.id, session.messages).sid;
    this.sessionIds?.set(sid, session.id);
    return { status: 'applied', summary: summarize(session) };
  }

  private append(summary: SessionSummary, messages: readonly Message[]): ApplyResult {
    const next = appendedSummary(summary, this.insertMessages(summary.id, messages).fresh);
    const retitled = next.title !== summary.title;
    if (retitled) {
      this.unindexTitle(summary.id);
    }
    this.sql.run('UPDATE sessions SET updated_at = ?, message_count = ?, last_message_at = ?, title = ?, untitled = ? WHERE id = ?', [
      next.updatedAt,
      next.messageCount,
      next.lastMessageAt,
      next.title,
      Number(next.untitled),
      summary.id,
    ]);
    if (retitled) {
      this.indexTitle(summary.id);
    }
    return { status: 'applied', summary: next };
  }

  /** Inserts the messages new to the session, numbered after its last one; returns those. */
  private insertMessages(sessionId: string, messages: readonly Message[]): { sid: number; fresh: Message[] } {
    const sid = Number(this.sql.one('SELECT sid FROM sessions WHERE id = ?', [sessionId])?.[0]);
    const first = sid * MESSAGES_PER_SESSION;
    const last = this.sql.one('SELECT max(seq) FROM messages WHERE seq >= ? AND seq < ?', [first, first + MESSAGES_PER_SESSION])?.[0];
    let seq = typeof last === 'number' ? last + 1 : first;
    const fresh: Message[] = [];
    for (const message of messages) {
      if (seq >= first + MESSAGES_PER_SESSION) {
        throw new Error(`session ${sessionId} cannot hold more messages`);
      }
      if (this.insertMessage(sessionId, seq, message)) {
        fresh.push(message);
        seq++;
      }
    }
    return { sid, fresh };
  }

  /** True when the message was new to the session. */
  private insertMessage(sessionId: string, seq: number, message: Message): boolean {
    const inserted = this.sql.run(
      `INSERT OR IGNORE INTO messages (seq, session_id, id, role, content, created_at, model, author, incomplete)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        seq,
        sessionId,
        message.id,
        message.role,
        message.content,
        message.createdAt,
        message.model ?? null,
        message.author ?? null,
        message.incomplete === undefined ? null : Number(message.incomplete),
      ],
    );
    if (inserted === 0) {
      return false;
    }
    this.unindexed.push(seq);
    return true;
  }

  private update(summary: SessionSummary, next: SessionSummary): ApplyResult {
    const retitled = next.title !== summary.title;
    if (retitled) {
      this.unindexTitle(summary.id);
    }
    this.sql.run('UPDATE sessions SET title = ?, untitled = ?, pinned = ?, updated_at = ? WHERE id = ?', [
      next.title,
      Number(next.untitled),
      Number(next.pinned),
      next.updatedAt,
      summary.id,
    ]);
    if (retitled) {
      this.indexTitle(summary.id);
    }
    if (next.tags.join(' ') !== summary.tags.join(' ')) {
      this.sql.run('DELETE FROM tags WHERE session_id = ?', [summary.id]);
      this.writeTags(summary.id, next.tags);
    }
    return { status: 'applied', summary: next };
  }

  private updateMessage(summary: SessionSummary, op: Extract<SessionOp, { type: 'updateMessage' }>): ApplyResult {
    const row = this.sql.one('SELECT seq, content FROM messages WHERE session_id = ? AND id = ?', [op.sessionId, op.messageId]);
    if (!row) {
      return { status: 'missing', summary };
    }
    const seq = Number(row[0]);
    const { content, incomplete } = op.patch;
    if (content !== undefined && content !== row[1]) {
      this.flushIndex();
      this.sql.run('DELETE FROM message_fts WHERE docid = ?', [seq]);
      this.sql.run('UPDATE messages SET content = ? WHERE seq = ?', [content, seq]);
      this.sql.run('INSERT INTO message_fts (docid, content) VALUES (?, ?)', [seq, content]);
    }
    if (incomplete !== undefined) {
      this.sql.run('UPDATE messages SET incomplete = ? WHERE seq = ?', [Number(incomplete), seq]);
    }
    return { status: 'applied', summary };
  }

  /**
   * Deals the session's own positions out again in the new order: the set of seqs stays the same,
   * so later appends still number after the last, and search still counts each message for its
   * session. A seq is the rowid, unique at every step, so the moved rows pass through negative
   * seqs first. FTS4 reads a row's text to unindex it, so each moved row leaves the index under its
   * old docid before it moves and enters it again under the new one.
   */
  private reorder(summary: SessionSummary, order: readonly string[]): ApplyResult {
    const positions = readMessagePositions(this.sql, summary.id);
    const arranged = orderAfterReorder(positions, order);
    if (!arranged) {
      return { status: 'ignored', summary };
    }
    const moves = arranged.flatMap(({ seq }, index) => (seq === positions[index].seq ? [] : [{ from: seq, to: positions[index].seq }]));
    this.flushIndex();
    for (const { from } of moves) {
      this.sql.run('DELETE FROM message_fts WHERE docid = ?', [from]);
      this.sql.run('UPDATE messages SET seq = ? WHERE seq = ?', [-1 - from, from]);
    }
    for (const { from, to } of moves) {
      this.sql.run('UPDATE messages SET seq = ? WHERE seq = ?', [to, -1 - from]);
      this.sql.run('INSERT INTO message_fts (docid, content) SELECT seq, content FROM messages WHERE seq = ?', [to]);
    }
    return { status: 'applied', summary };
  }

  private delete(sessionId: string): void {
    this.flushIndex();
    for (const [seq] of this.sql.all('SELECT seq FROM messages WHERE session_id = ?', [sessionId])) {
      this.sql.run('DELETE FROM message_fts WHERE docid = ?', [seq]);
    }
    this.unindexTitle(sessionId);
    this.sessionIds?.delete(Number(this.sql.one('SELECT sid FROM sessions WHERE id = ?', [sessionId])?.[0]));
    this.sql.run('DELETE FROM messages WHERE session_id = ?', [sessionId]);
    this.sql.run('DELETE FROM tags WHERE session_id = ?', [sessionId]);
    this.sql.run('DELETE FROM sessions WHERE id = ?', [sessionId]);
  }

  private indexTitle(sessionId: string): void {
    this.sql.run('INSERT INTO title_fts (docid, title) SELECT sid, title FROM sessions WHERE id = ?', [sessionId]);
  }

  /** Before the title changes: FTS4 reads the old text from the row to unindex it. */
  private unindexTitle(sessionId: string): void {
    this.sql.run('DELETE FROM title_fts WHERE docid = (SELECT sid FROM sessions WHERE id = ?)', [sessionId]);
  }

  private writeTags(sessionId: string, tags: readonly string[]): void {
    tags.forEach((tag, position) =>
      this.sql.run('INSERT OR IGNORE INTO tags (session_id, position, tag) VALUES (?, ?, ?)', [sessionId, position, tag]),
    );
  }
}
