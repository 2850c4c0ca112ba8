import { storeUnavailable } from './errors';
import { SessionStore, StoreAccess, VerifyReport } from './store';

/**
 * Verifies a store and, with `repair`, repairs it and verifies again: the problems (and warnings)
 * reported are those left afterwards, the repairs those just made.
 */
export async function verifyStore(store: SessionStore, repair = false): Promise<VerifyReport> {
  const first = await store.verify({ repair });
  if (!repair) {
    return first;
  }
  const after = await store.verify();
  return { problems: after.problems, repairs: first.repairs, ...(after.warnings ? { warnings: after.warnings } : {}) };
}

/**
 * Repair writes, so a store that cannot be written refuses it — unless there is nothing to
 * repair, when the plain report is the answer. Undefined means: writable, go ahead and repair.
 */
export async function refuseRepairIfReadOnly(store: string, access: StoreAccess, check: () => Promise<VerifyReport>): Promise<VerifyReport | undefined> {
  if (access.writable) {
    return undefined;
  }
  const report = await check();
  if (report.problems.length > 0) {
    throw storeUnavailable(`could not repair ${store}: the store is read-only: ${access.reason}`);
  }
  return report;
}
