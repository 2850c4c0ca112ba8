import { StoreAccess, VerifyReport } from '../../../core/store';
import { refuseRepairIfReadOnly } from '../../../core/verifyStore';
import { ioFailure } from '../../fs/ioErrors';
import { CHECKS, Check, Checker, VerifyTarget } from './storeChecks';

// verify() for the SQLite store: recoveries made at open, the database's integrity, the file on
// disk, message counts, both full-text indexes, the journal's lines and the summaries sidecar.
// With `repair`, whatever is corrupt is first copied to the quarantine folder, then fixed:
// derived data is rebuilt, bad journal lines are dropped, a damaged file is replaced by a fresh
// snapshot.

export async function verifySqliteStore(target: VerifyTarget, options: { repair: boolean; access: () => StoreAccess }): Promise<VerifyReport> {
  const readOnly = options.repair ? await refuseRepairIfReadOnly(target.engine.paths.file, options.access(), () => runChecks(target, false)) : undefined;
  return readOnly ?? runChecks(target, options.repair);
}

async function runChecks(target: VerifyTarget, repair: boolean): Promise<VerifyReport> {
  await target.maintenance.idle();
  const check: Check = { target, sql: await target.engine.database(), repair, report: { problems: [], repairs: [] } };
  for (const checker of CHECKS) {
    check.sql = await target.engine.database();
    await runCheck(checker, check);
  }
  return check.report;
}

/** A repair that cannot write (a full disk) fails naming the store and the cause. */
async function runCheck(checker: Checker, check: Check): Promise<void> {
  try {
    await checker(check);
  } catch (error) {
    throw check.repair ? ioFailure('repair', check.target.engine.paths.file, error) : error;
  }
}
