import { ImportCounts, importSession } from '../../core/importSession';
import { SessionStore } from '../../core/store';

/**
 * Copies every session from one store to another, one at a time so it can report progress and
 * stop between sessions. Idempotent (importSession decides by ids), so a cancelled or failed run
 * is finished by running it again. Pure: no `vscode`.
 */
export interface MigrationOptions {
  /** Called after each session with how many are done out of how many. */
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

export interface MigrationResult extends ImportCounts {
  total: number;
  cancelled: boolean;
}

export async function migrateSessions(source: SessionStore, target: SessionStore, options: MigrationOptions = {}): Promise<MigrationResult> {
  const summaries = await source.list();
  const result: MigrationResult = { imported: 0, updated: 0, unchanged: 0, total: summaries.length, cancelled: false };
  for (const [index, summary] of summaries.entries()) {
    if (options.isCancelled?.()) {
      result.cancelled = true;
      break;
    }
    // Deleted by someone else since the list: nothing to copy.
    const session = await source.get(summary.id);
    if (session) {
      result[await importSession(target, session)]++;
    }
    options.onProgress?.(index + 1, summaries.length);
  }
  return result;
}
