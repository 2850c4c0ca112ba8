import { OpRecord, OutboxOp } from './sharingRecords';

// What a push sends, planned from the outbox: fewer round trips for the same end state.

export interface PlannedChange {
  change: OutboxOp;
  /** The op records it stands for (a message's edits, or a session's reorders, fold into the last). */
  ids: string[];
}

/**
 * Ops in order, each message's edits folded into its last one (it carries the latest content
 * anyway), a session's reorders into its last, and appends to one session in a row joined into one.
 */
export function planPush(pending: readonly OpRecord[]): PlannedChange[] {
  const last = new Map<string, number>();
  pending.forEach((record, index) => {
    const key = foldKey(record.change);
    if (key) {
      last.set(key, index);
    }
  });
  const planned: PlannedChange[] = [];
  const folded: string[] = [];
  pending.forEach((record, index) => {
    const change = record.change;
    const key = foldKey(change);
    if (key && last.get(key) !== index) {
      folded.push(record.id);
      return;
    }
    const previous = planned.at(-1);
    if (previous && previous.change.op === 'append' && change.op === 'append' && previous.change.sessionId === change.sessionId) {
      // Appends in a row go as one (an outbox filled offline pushes in few round trips).
      previous.change = { ...previous.change, messageIds: [...previous.change.messageIds, ...change.messageIds] };
      previous.ids.push(...folded.splice(0), record.id);
      return;
    }
    planned.push({ change, ids: [...folded.splice(0), record.id] });
  });
  return planned;
}

/** What ops fold into the last of their kind: a message's edits, a session's reorders (each pushes what is there then). */
function foldKey(change: OutboxOp): string | undefined {
  if (change.op === 'edit') {
    return `edit ${change.sessionId}/${change.messageId}`;
  }
  return change.op === 'order' ? `order ${change.sessionId}` : undefined;
}
