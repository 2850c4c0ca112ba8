import { Message, Session, SessionSummary, summarize } from '../../../core/model';
import { orderAfterReorder } from '../../../core/sessionRules';
import { SessionOp } from '../journal/journalRecords';
import { MESSAGES_PER_SESSION } from './schema';
import { Statements } from './statements';
import { readMessagePositions } from './sessionRows';
import { ApplyResult, appendedSummary, patchedSummary } from '../state/summaryFold';

// Applies journal operations to the database, each in one transaction. Operations are
// idempotent: a create of an existing session and messages whose id is already there are
// ignored, so replaying records a snapshot already holds changes nothing. Every operation that
// changes a session leaves its id in sessions.last_op: the word index's version of the session
// (an id is never reused, so a session can never come back to a version with other content).

type ChangeOp = Exclude<SessionOp, { type: 'create' }>;

export class DatabaseWriter {
  constructor(private readonly sql: Statements) {}

  /** Applies one operation, given the session's summary as the database has it (if any). */
  apply(op: SessionOp, current: SessionSummary | undefined): ApplyResult {
    return this.sql.transaction(() => {
      const result = op.type === 'create' ? this.create(op.session, current) : this.change(op, current);
      if (result.status === 'applied' && op.type !== 'delete') {
        this.sql.run('UPDATE sessions SET last_op = ? WHERE id = ?', [op.id, op.type === 'create' ? op.session.id : op.sessionId]);
      }
      return result;
    });
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
      `INSERT INTO sessions (id, title, created_at, updated_at, pinned, source, message_count, last_message_at, untitled, last_op)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
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
    this.writeTags(session.id, session.tags);
    this.insertMessages(session.id, session.messages);
    return { status: 'applied', summary: summarize(session) };
  }

  private append(summary: SessionSummary, messages: readonly Message[]): ApplyResult {
    const next = appendedSummary(summary, this.insertMessages(summary.id, messages));
    this.sql.run('UPDATE sessions SET updated_at = ?, message_count = ?, last_message_at = ?, title = ?, untitled = ? WHERE id = ?', [
      next.updatedAt,
      next.messageCount,
      next.lastMessageAt,
      next.title,
      Number(next.untitled),
      summary.id,
    ]);
    return { status: 'applied', summary: next };
  }

  /** Inserts the messages new to the session, numbered after its last one; returns those. */
  private insertMessages(sessionId: string, messages: readonly Message[]): Message[] {
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
    return fresh;
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
    return inserted > 0;
  }

  private update(summary: SessionSummary, next: SessionSummary): ApplyResult {
    this.sql.run('UPDATE sessions SET title = ?, untitled = ?, pinned = ?, updated_at = ? WHERE id = ?', [
      next.title,
      Number(next.untitled),
      Number(next.pinned),
      next.updatedAt,
      summary.id,
    ]);
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
      this.sql.run('UPDATE messages SET content = ? WHERE seq = ?', [content, seq]);
    }
    if (incomplete !== undefined) {
      this.sql.run('UPDATE messages SET incomplete = ? WHERE seq = ?', [Number(incomplete), seq]);
    }
    return { status: 'applied', summary };
  }

  /**
   * Deals the session's own positions out again in the new order: the set of seqs stays the same,
   * so later appends still number after the last. A seq is the rowid, unique at every step, so
   * the moved rows pass through negative seqs first.
   */
  private reorder(summary: SessionSummary, order: readonly string[]): ApplyResult {
    const positions = readMessagePositions(this.sql, summary.id);
    const arranged = orderAfterReorder(positions, order);
    if (!arranged) {
      return { status: 'ignored', summary };
    }
    const moves = arranged.flatMap(({ seq }, index) => (seq === positions[index].seq ? [] : [{ from: seq, to: positions[index].seq }]));
    for (const { from } of moves) {
      this.sql.run('UPDATE messages SET seq = ? WHERE seq = ?', [-1 - from, from]);
    }
    for (const { from, to } of moves) {
      this.sql.run('UPDATE messages SET seq = ? WHERE seq = ?', [to, -1 - from]);
    }
    return { status: 'applied', summary };
  }

  private delete(sessionId: string): void {
    this.sql.run('DELETE FROM messages WHERE session_id = ?', [sessionId]);
    this.sql.run('DELETE FROM tags WHERE session_id = ?', [sessionId]);
    this.sql.run('DELETE FROM sessions WHERE id = ?', [sessionId]);
  }

  private writeTags(sessionId: string, tags: readonly string[]): void {
    tags.forEach((tag, position) =>
      this.sql.run('INSERT OR IGNORE INTO tags (session_id, position, tag) VALUES (?, ?, ?)', [sessionId, position, tag]),
    );
  }
}
