import { replaceLog } from '../../fs/replaceLog';
import { compactRecords } from './logRepair';
import { SessionState } from './sessionState';

// Streamed replies are saved as a series of edits, each holding the whole reply so far, and
// reorders as order records; once a session's superseded versions and orders add up, its log is
// rewritten with only the latest version of each message, in folded order. replaceLog keeps
// appends made meanwhile, by this or any other process. Compactions run in the background, one
// at a time per session, and close waits for them.

const COMPACT_WHEN_COMPLETE_CHARS = 64 * 1024;
const COMPACT_ANYWAY_CHARS = 1024 * 1024;

export interface CompactorHooks {
  pathOf: (id: string) => string;
  /** Called after a rewrite, to catch up with the new file without announcing it. */
  compacted: (id: string) => void;
  /** A failure only means the log stays longer than it needs to. */
  onFailure: (error: unknown) => void;
}

export class Compactor {
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly hooks: CompactorHooks) {}

  /**
   * Starts a compaction if `messageId`'s edit, or a reorder (no message id), left enough
   * superseded text behind; a reply still streaming is left to grow longer first.
   */
  consider(state: SessionState, messageId?: string): void {
    const complete = messageId === undefined || state.messages.get(messageId)?.incomplete !== true;
    const worthIt = state.supersededChars >= (complete ? COMPACT_WHEN_COMPLETE_CHARS : COMPACT_ANYWAY_CHARS);
    if (worthIt && !this.running.has(state.id)) {
      this.running.set(state.id, this.compact(state.id));
    }
  }

  async settle(): Promise<void> {
    await Promise.all(this.running.values());
  }

  private async compact(id: string): Promise<void> {
    try {
      await replaceLog(this.hooks.pathOf(id), (current) => compactRecords(current) ?? current);
      this.hooks.compacted(id);
    } catch (error) {
      this.hooks.onFailure(error);
    } finally {
      this.running.delete(id);
    }
  }
}
