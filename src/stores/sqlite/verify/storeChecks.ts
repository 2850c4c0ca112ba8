import { existsSync } from 'node:fs';
import { StoreProblem, VerifyReport } from '../../../core/store';
import { withFileLock } from '../../fs/fileLock';
import { copyToQuarantine, moveToQuarantine } from '../../fs/quarantine';
import { fileHeaderProblem } from '../database/databaseFile';
import { DERIVED_LAST_MESSAGE_AT } from '../database/schema';
import { Statements } from '../database/statements';
import { readJournal } from '../journal/journal';
import { badJournalLines, dropBadJournalLines } from '../journal/journalRepair';
import { Maintenance } from '../snapshot/maintenance';
import { sidecarMatches } from '../snapshot/sidecarCheck';
import { readSidecar } from '../snapshot/summarySidecar';
import { SqliteEngine } from '../sqliteEngine';

// The checks verify() runs on a SQLite store, in order; each reports what it finds and, with
// `repair`, mends it (whatever is corrupt is copied to quarantine first).

export interface VerifyTarget {
  engine: SqliteEngine;
  maintenance: Maintenance;
  /** Corrupt files found (and recovered from) since the last repair. */
  recoveries: string[];
}

export interface Check {
  target: VerifyTarget;
  sql: Statements;
  repair: boolean;
  report: VerifyReport;
}

export type Checker = (check: Check) => Promise<void> | void;

export const CHECKS: Checker[] = [checkRecoveries, checkIntegrity, checkFileOnDisk, checkMessageCounts, checkLastMessageTimes, checkJournal, checkSidecar];

function problem(check: Check, where: string, what: string): StoreProblem {
  const found = { where, what };
  check.report.problems.push(found);
  return found;
}

function checkRecoveries(check: Check): void {
  const { target } = check;
  const found = [...target.recoveries, ...target.engine.state.problems];
  found.forEach((what) => problem(check, target.engine.paths.file, what));
  if (check.repair && found.length > 0) {
    target.recoveries.length = 0;
    target.engine.state.problems.length = 0;
    check.report.repairs.push(...found.map((what) => `acknowledged: ${what}`));
  }
}

async function checkIntegrity(check: Check): Promise<void> {
  const result = check.sql.all('PRAGMA quick_check').map((row) => String(row[0]));
  if (result.join() === 'ok') {
    return;
  }
  const { paths } = check.target.engine;
  problem(check, paths.file, `integrity check failed: ${result.slice(0, 3).join('; ')}`);
  if (check.repair) {
    const copy = existsSync(paths.file) ? copyToQuarantine(paths.quarantine, paths.file) : undefined;
    await check.target.engine.load({ fullCheck: true });
    await check.target.maintenance.snapshotNow();
    check.report.repairs.push(`reloaded the database from disk and wrote a fresh snapshot${copy ? ` (old file kept at ${copy})` : ''}`);
  }
}

/** The files on disk, by their headers: a damaged file is replaced by a fresh snapshot. */
async function checkFileOnDisk(check: Check): Promise<void> {
  const { paths } = check.target.engine;
  const backupTrouble = existsSync(paths.backup) ? fileHeaderProblem(paths.backup) : undefined;
  if (backupTrouble !== undefined) {
    problem(check, paths.backup, `backup file ${backupTrouble}`);
    // Under the snapshot lock, so that a backup renamed into place meanwhile is judged afresh.
    const moved = check.repair
      ? await withFileLock(paths.file, async () => (existsSync(paths.backup) && fileHeaderProblem(paths.backup) !== undefined ? moveToQuarantine(paths.quarantine, paths.backup) : undefined))
      : undefined;
    if (moved) {
      check.report.repairs.push(`moved ${paths.backup} to ${moved}`);
    }
  }
  const trouble = existsSync(paths.file) ? fileHeaderProblem(paths.file) : 'missing';
  if (trouble === undefined) {
    return;
  }
  problem(check, paths.file, `database file ${trouble}`);
  if (check.repair && (await check.target.maintenance.snapshotNow())) {
    check.report.repairs.push(`wrote a fresh snapshot to ${paths.file}`);
  }
}

function checkMessageCounts(check: Check): void {
  const wrong = check.sql.all('SELECT id FROM sessions s WHERE message_count != (SELECT count(*) FROM messages m WHERE m.session_id = s.id)');
  if (wrong.length === 0) {
    return;
  }
  problem(check, check.target.engine.paths.file, `stored message counts are wrong for ${wrong.length} session(s)`);
  if (check.repair) {
    check.sql.run('UPDATE sessions SET message_count = (SELECT count(*) FROM messages m WHERE m.session_id = sessions.id)');
    check.target.engine.state.refreshSummaries();
    check.report.repairs.push(`recounted messages of ${wrong.length} session(s)`);
  }
}

function checkLastMessageTimes(check: Check): void {
  const wrong = check.sql.all(`SELECT id FROM sessions WHERE last_message_at != ${DERIVED_LAST_MESSAGE_AT}`);
  if (wrong.length === 0) {
    return;
  }
  problem(check, check.target.engine.paths.file, `stored last message times are wrong for ${wrong.length} session(s)`);
  if (check.repair) {
    check.sql.run(`UPDATE sessions SET last_message_at = ${DERIVED_LAST_MESSAGE_AT}`);
    check.target.engine.state.refreshSummaries();
    check.report.repairs.push(`recomputed the last message time of ${wrong.length} session(s)`);
  }
}

async function checkJournal(check: Check): Promise<void> {
  const { paths } = check.target.engine;
  const bad = badJournalLines(readJournal(paths.journal));
  for (const [line, what] of bad) {
    problem(check, `${paths.journal}:${line}`, what);
  }
  if (check.repair && bad.size > 0) {
    const copy = copyToQuarantine(paths.quarantine, paths.journal);
    const dropped = await dropBadJournalLines(paths.journal);
    check.report.repairs.push(`removed ${dropped} bad line(s) from ${paths.journal} (the original is kept at ${copy})`);
  }
}

async function checkSidecar(check: Check): Promise<void> {
  const { engine, maintenance } = check.target;
  const read = readSidecar(engine.paths.sidecar);
  await engine.sync();
  const trouble = read.ok ? sidecarMatches(read.sidecar, engine.state, engine.paths.journal) : read.problem;
  if (trouble === undefined) {
    return;
  }
  problem(check, engine.paths.sidecar, `summaries sidecar ${trouble}`);
  if (check.repair) {
    const copy = !read.ok && existsSync(engine.paths.sidecar) ? copyToQuarantine(engine.paths.quarantine, engine.paths.sidecar) : undefined;
    await maintenance.writeSidecarNow();
    check.report.repairs.push(`rebuilt ${engine.paths.sidecar}${copy ? ` (the unreadable one is kept at ${copy})` : ''}`);
  }
}
