import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { SessionFileCatalog } from './sessionFileCatalog';
import { writeSummaryIndex } from './summaryIndex';

// Saves the summary index in the background once changes pause (a streamed reply or a burst of
// appends costs one write, not one per change, yet a save is never put off for long), and on
// close. The timer is unref'd: a pending save never keeps a CLI process alive, and losing one only
// means the next open re-reads the sessions that changed. A store that cannot be written (a
// read-only mount, a backup copy) is left exactly as it is: no save is even attempted.

const MAX_DELAYS = 10;

export interface IndexSaverOptions {
  delayMs: number;
  /** Whether the store's folder can be written right now. */
  writable: () => boolean;
}

export class IndexSaver {
  private timer: NodeJS.Timeout | undefined;
  private firstChangeAt: number | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** The last failure to write, reported by verify until a write succeeds. */
  lastError: unknown;

  constructor(
    private readonly path: string,
    private readonly catalog: SessionFileCatalog,
    private readonly options: IndexSaverOptions,
  ) {}

  schedule(): void {
    if (!this.catalog.indexDirty) {
      return;
    }
    const now = Date.now();
    this.firstChangeAt ??= now;
    const { delayMs } = this.options;
    const latest = this.firstChangeAt + delayMs * MAX_DELAYS;
    this.cancel();
    this.timer = setTimeout(() => void this.saveNow(), Math.max(0, Math.min(delayMs, latest - now)));
    this.timer.unref();
  }

  /** Writes the index now (even when nothing changed, with `force`); one write at a time. */
  async saveNow(force = false): Promise<void> {
    this.cancel();
    this.firstChangeAt = undefined;
    this.saving = this.saving.then(() => this.write(force));
    await this.saving;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async write(force: boolean): Promise<void> {
    if ((!this.catalog.indexDirty && !force) || !existsSync(dirname(this.path)) || !this.options.writable()) {
      return;
    }
    this.catalog.indexDirty = false;
    try {
      await writeSummaryIndex(this.path, this.catalog.indexEntries());
      this.lastError = undefined;
    } catch (error) {
      // Only a cache: keep the store working, try again after the next change, and let verify tell.
      this.catalog.indexDirty = true;
      this.lastError = error;
    }
  }
}
