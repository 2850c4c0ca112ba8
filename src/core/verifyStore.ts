import { SessionStore, VerifyReport } from './store';

/**
 * Verifies a store and, with `repair`, repairs it and verifies again: the problems reported are
 * those left afterwards, the repairs those just made.
 */
export async function verifyStore(store: SessionStore, repair = false): Promise<VerifyReport> {
  const first = await store.verify({ repair });
  return repair ? { problems: (await store.verify()).problems, repairs: first.repairs } : first;
}
