import lockfile from 'proper-lockfile';
import { storeUnavailable } from '../../core/errors';
import { ioFailure } from './ioErrors';

// Cross-process mutual exclusion for the rare operations that rewrite a shared file (compaction,
// repair, snapshots). proper-lockfile uses an atomic mkdir and refreshes the lock's mtime, so a
// lock left by a killed process goes stale and is taken over after STALE_MS.

const STALE_MS = 5_000;
const WAIT_MS = 15_000;

export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      stale: STALE_MS,
      realpath: false,
      retries: { retries: Math.ceil(WAIT_MS / 100), minTimeout: 20, maxTimeout: 100, factor: 1.2 },
    });
  } catch (error) {
    // ELOCKED: held by someone else all along; anything else is the file system's refusal.
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw storeUnavailable(`could not lock ${path}: another process holds it`, error);
    }
    throw ioFailure('lock', path, error);
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Takes the lock only if it is free right now; undefined means someone else is at it. */
export async function tryWithFileLock<T>(path: string, work: () => Promise<T>): Promise<T | undefined> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, { stale: STALE_MS, realpath: false, retries: 0 });
  } catch {
    return undefined;
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Whether someone holds the lock on `path` right now (a stale lock does not count). */
export function isLockHeld(path: string): boolean {
  return lockfile.checkSync(path, { stale: STALE_MS, realpath: false });
}
