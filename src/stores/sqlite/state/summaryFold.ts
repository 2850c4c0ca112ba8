import { Message, SessionPatch, SessionSummary, summarize } from '../../../core/model';
import { fieldsAfterAppend, fieldsAfterPatch } from '../../../core/sessionRules';
import { SessionOp } from '../journal/journalRecords';

// How each operation changes a session's summary. The database writer and the summary fold use
// the same rules, so that the list a fresh process answers from the sidecar is the list the
// database gives once it has loaded.

export type ApplyStatus = 'applied' | 'ignored' | 'missing';

export interface ApplyResult {
  status: ApplyStatus;
  /** The session's summary afterwards; undefined once deleted. */
  summary?: SessionSummary;
}

export function patchedSummary(summary: SessionSummary, patch: SessionPatch, at: string): SessionSummary {
  return { ...summary, ...fieldsAfterPatch(summary, patch, at) };
}

/** Only messages new to the session count, advance its times or name it, as retries must not. */
export function appendedSummary(summary: SessionSummary, fresh: readonly Message[]): SessionSummary {
  return { ...summary, ...fieldsAfterAppend(summary, fresh), messageCount: summary.messageCount + fresh.length };
}

/**
 * Folds operations into summaries without the database (a fresh process, before it has loaded).
 * It knows the message ids of operations it has folded, not those inside the snapshot, so a
 * retried append of an old message could be counted twice until the database loads and the
 * summaries are re-read from it.
 */
export class SummaryFold {
  private readonly messageIds = new Map<string, Set<string>>();

  constructor(private readonly summaries: Map<string, SessionSummary>) {}

  apply(op: SessionOp): ApplyResult {
    if (op.type === 'create') {
      if (this.summaries.has(op.session.id)) {
        return { status: 'ignored', summary: this.summaries.get(op.session.id) };
      }
      this.messageIds.set(op.session.id, new Set(op.session.messages.map((message) => message.id)));
      return { status: 'applied', summary: summarize(op.session) };
    }
    const summary = this.summaries.get(op.sessionId);
    if (!summary) {
      return { status: 'missing' };
    }
    return { status: 'applied', summary: this.change(op, summary) };
  }

  private change(op: Exclude<SessionOp, { type: 'create' }>, summary: SessionSummary): SessionSummary | undefined {
    switch (op.type) {
      case 'append':
        return appendedSummary(summary, this.freshMessages(op.sessionId, op.messages));
      case 'update':
        return patchedSummary(summary, op.patch, op.at);
      case 'updateMessage':
      case 'reorder':
        return summary;
      case 'delete':
        this.messageIds.delete(op.sessionId);
        return undefined;
    }
  }

  private freshMessages(sessionId: string, messages: readonly Message[]): Message[] {
    const known = this.messageIds.get(sessionId) ?? new Set<string>();
    this.messageIds.set(sessionId, known);
    const fresh = messages.filter((message) => !known.has(message.id));
    fresh.forEach((message) => known.add(message.id));
    return fresh;
  }
}
