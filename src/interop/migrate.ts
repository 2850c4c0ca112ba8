// Copying every session from one store to another — the CLI's `migrate` and the editor's Switch
// Storage Backend both go through here. Sessions are read and written one at a time (memory
// stays flat), progress is reported after each, and it can stop between sessions. Idempotent,
// since importSession decides by ids, so a run that was cancelled, failed or killed is finished
// by running it again: a session whose summary in the target already equals the source's is not
// written again, and one copied in part gets only what it lacks. With `check` it also proves the
// copy (migrationCheck.ts): each session's content hash in the target against the source's as it
// goes, and at the end the session and message counts of the two stores.
import { ImportCounts, importSession } from '../core/importSession';
import { Session, SessionSummary } from '../core/model';
import { SessionStore } from '../core/store';
import { MigrationCheck, MigrationMismatch, compareCopy, compareCounts } from './migrationCheck';

export interface MigrationOptions {
  /** Called after each session with how many are done out of how many. */
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  /** Read each copy back and compare it, then compare the counts of both stores (see `check`). */
  check?: boolean;
}

export interface MigrationResult extends ImportCounts {
  total: number;
  cancelled: boolean;
  /** With `check`, unless cancelled: what the comparison found. */
  check?: MigrationCheck;
}

export async function migrateSessions(source: SessionStore, target: SessionStore, options: MigrationOptions = {}): Promise<MigrationResult> {
  if (!options.check) {
    return copySessions(source, target, options);
  }
  const mismatches: MigrationMismatch[] = [];
  let checked = 0;
  const verify = async (original: Session): Promise<void> => {
    const problem = compareCopy(original, await target.get(original.id));
    if (problem) {
      mismatches.push({ sessionId: original.id, problem });
    }
    checked++;
  };
  const result = await copySessions(source, target, options, verify);
  if (result.cancelled) {
    return result;
  }
  // Counted last, so a session that did not arrive is found even if it was never read back.
  const named = new Set(mismatches.map((mismatch) => mismatch.sessionId));
  const uncounted = (await compareCounts(source, target)).filter((mismatch) => !named.has(mismatch.sessionId));
  return { ...result, check: { checked, mismatches: [...mismatches, ...uncounted] } };
}

async function copySessions(
  source: SessionStore,
  target: SessionStore,
  options: MigrationOptions,
  verify?: (original: Session) => Promise<void>,
): Promise<MigrationResult> {
  const { ids, alreadyCopied } = await planCopy(source, target);
  const result: MigrationResult = { imported: 0, updated: 0, unchanged: 0, total: ids.length, cancelled: false };
  for (const [index, id] of ids.entries()) {
    if (options.isCancelled?.()) {
      result.cancelled = true;
      break;
    }
    const copied = alreadyCopied.has(id);
    if (copied && !verify) {
      result.unchanged++;
    } else {
      const session = await source.get(id);
      // Deleted by someone else since the list: nothing to copy.
      if (session) {
        result[copied ? 'unchanged' : await importSession(target, session)]++;
        await verify?.(session);
      }
    }
    options.onProgress?.(index + 1, ids.length);
  }
  return result;
}

/** The source's ids, and those whose summary the target already holds as is (only ids are kept). */
async function planCopy(source: SessionStore, target: SessionStore): Promise<{ ids: string[]; alreadyCopied: Set<string> }> {
  const copies = new Map((await target.list()).map((summary) => [summary.id, summaryKey(summary)]));
  const summaries = await source.list();
  const alreadyCopied = new Set(summaries.filter((summary) => copies.get(summary.id) === summaryKey(summary)).map((summary) => summary.id));
  return { ids: summaries.map((summary) => summary.id), alreadyCopied };
}

function summaryKey(summary: SessionSummary): string {
  const { title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount } = summary;
  return JSON.stringify([title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount]);
}
