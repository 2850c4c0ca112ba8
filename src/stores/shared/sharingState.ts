import { OpRecord, OutboxOp, SecretPolicy, ShareMode, SharingRecord, sharingRecordSchema } from './sharingRecords';

// A sharing log folded, in file order (the one order every process sees): which sessions are
// mirrored, and which outbox ops are still to push.

export interface SharedEntry {
  mode: ShareMode;
  secrets: SecretPolicy;
}

export class SharingState {
  readonly sessions = new Map<string, SharedEntry>();
  /** Per session, the messages pushed redacted. */
  readonly redacted = new Map<string, Set<string>>();
  /** Ops not yet pushed, in file order (by record id). */
  private readonly waiting = new Map<string, OpRecord>();
  private readonly recordIds = new Set<string>();

  /** Folds one parsed line; false when it is not a valid record (the caller reports it). */
  apply(value: unknown): boolean {
    const parsed = sharingRecordSchema.safeParse(value);
    if (!parsed.success) {
      return false;
    }
    const record = parsed.data;
    if (!this.recordIds.has(record.id)) {
      this.recordIds.add(record.id);
      this.fold(record);
    }
    return true;
  }

  pending(): OpRecord[] {
    return [...this.waiting.values()];
  }

  pendingFor(sessionId: string): OutboxOp[] {
    return this.pending()
      .map((record) => record.change)
      .filter((change) => change.sessionId === sessionId);
  }

  isRedacted(sessionId: string, messageId: string): boolean {
    return this.redacted.get(sessionId)?.has(messageId) ?? false;
  }

  private fold(record: SharingRecord): void {
    switch (record.type) {
      case 'share':
        this.sessions.set(record.sessionId, { mode: record.mode, secrets: record.secrets });
        return;
      case 'stop':
        this.sessions.delete(record.sessionId);
        return;
      case 'redacted':
        this.redactedOf(record.sessionId).add(record.messageId);
        return;
      case 'op':
        this.waiting.set(record.id, record);
        return;
      case 'pushed':
        // Only ever after the ops it names: a push reads them from this file first.
        record.ops.forEach((id) => this.waiting.delete(id));
        return;
    }
  }

  private redactedOf(sessionId: string): Set<string> {
    let set = this.redacted.get(sessionId);
    if (!set) {
      set = new Set();
      this.redacted.set(sessionId, set);
    }
    return set;
  }
}
