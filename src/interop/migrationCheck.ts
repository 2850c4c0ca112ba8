// How a migration proves its copy: each session read back from the target must have the
// source's message count and content hash (metadata and messages, hashed in a canonical form so
// that backends' key order does not matter), and at the end every session the source lists must
// be listed by the target with the same message count.
import { createHash } from 'node:crypto';
import { MultichatError } from '../core/errors';
import { Session } from '../core/model';
import { SessionStore } from '../core/store';

export interface MigrationMismatch {
  sessionId: string;
  problem: string;
}

export interface MigrationCheck {
  /** Sessions whose copy was read back and compared. */
  checked: number;
  mismatches: MigrationMismatch[];
}

/** What is wrong with a copy, or undefined when it is the original. */
export function compareCopy(original: Session, copy: Session | undefined): string | undefined {
  if (!copy) {
    return 'missing from the target';
  }
  if (original.messages.length !== copy.messages.length) {
    return `${original.messages.length} messages in the source, ${copy.messages.length} in the target`;
  }
  const [want, got] = [contentHash(original), contentHash(copy)];
  return want === got ? undefined : `content hash ${got.slice(0, 12)} in the target, ${want.slice(0, 12)} in the source`;
}

/** Sessions the source lists that the target does not, or with another message count. */
export async function compareCounts(source: SessionStore, target: SessionStore): Promise<MigrationMismatch[]> {
  const copies = new Map((await target.list()).map((summary) => [summary.id, summary.messageCount]));
  const mismatches: MigrationMismatch[] = [];
  for (const { id, messageCount } of await source.list()) {
    const copied = copies.get(id);
    if (copied !== messageCount) {
      const problem = copied === undefined ? 'missing from the target' : `${messageCount} messages in the source, ${copied} in the target`;
      mismatches.push({ sessionId: id, problem });
    }
  }
  return mismatches;
}

/** SHA-256 of the session as JSON with every object's keys sorted. */
export function contentHash(session: Session): string {
  return createHash('sha256').update(canonicalJson(session)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const NAMED_AT_MOST = 10;

/** One line naming the sessions that differ, or undefined when every one matched. */
export function mismatchError(check: MigrationCheck): MultichatError | undefined {
  const { mismatches } = check;
  if (mismatches.length === 0) {
    return undefined;
  }
  const named = mismatches.slice(0, NAMED_AT_MOST).map((each) => `${each.sessionId} (${each.problem})`);
  const more = mismatches.length > NAMED_AT_MOST ? `, and ${mismatches.length - NAMED_AT_MOST} more` : '';
  const sessions = mismatches.length === 1 ? 'session differs' : 'sessions differ';
  return new MultichatError('conflict', `the copy does not match its source: ${mismatches.length} ${sessions}: ${named.join(', ')}${more}`);
}
