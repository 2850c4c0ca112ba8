import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeError } from '../../core/errors';
import { VerifyReport } from '../../core/store';
import { isAtomicTempName } from '../fs/atomicFile';
import { ioFailure } from '../fs/ioErrors';
import { copyToQuarantine, moveToQuarantine, quarantineFolderOf } from '../fs/quarantine';
import { removeStaleTemps } from '../fs/staleTemps';
import { replaceLog } from '../fs/replaceLog';
import { namesInFolder, sessionIdsIn } from './catalog/directoryScan';
import { yieldEvery } from '../../core/eventLoop';
import { keepValidRecords } from './log/logRepair';

import { describeLineProblem } from './log/sessionFold';
import { isSessionTempName, sessionFileName } from './files/sessionFileNames';
import { SessionState, loadSessionState } from './log/sessionState';
import { INDEX_FILE, readSummaryIndex } from './catalog/summaryIndex';

// Checks every session file in full (each line, each record against the schemas) and, on request,
// repairs: a file with bad lines is copied to quarantine and rewritten with its valid records; a
// file with no readable header is moved to quarantine whole. Nothing is deleted. A crash's torn
// last line is not a problem, so a store that only ever crashed verifies clean.

const FILES_PER_TURN = 100;

export interface VerifyOutcome extends VerifyReport {
  /** Sessions whose files repair changed or moved away. */
  repairedIds: string[];
  indexUnreadable: boolean;
}

export async function verifySessionFiles(directory: string, repair: boolean): Promise<VerifyOutcome> {
  const outcome: VerifyOutcome = { problems: [], repairs: [], repairedIds: [], indexUnreadable: false };
  for (const [index, id] of sessionIdsIn(namesInFolder(directory)).entries()) {
    await yieldEvery(index, FILES_PER_TURN);
    const path = join(directory, sessionFileName(id));
    let state: SessionState | undefined;
    try {
      state = loadSessionState(path, id)?.state;
    } catch (error) {
      outcome.problems.push({ where: path, what: `the file could not be read: ${describeError(error)}` });
    }
    if (state && state.problems.length > 0) {
      outcome.problems.push(...state.problems.map((problem) => ({ where: state.path, what: describeLineProblem(problem), sessionId: state.id })));
      if (repair) {
        outcome.repairs.push(await repairSessionFile(directory, state));
        outcome.repairedIds.push(id);
      }
    }
  }
  const indexPath = join(directory, INDEX_FILE);
  if (readSummaryIndex(indexPath).status === 'unreadable') {
    outcome.indexUnreadable = true;
    outcome.problems.push({ where: indexPath, what: 'the summary index is unreadable (it is only a cache: repair rebuilds it from the session files)' });
  }
  if (repair) {
    outcome.repairs.push(...removeInterruptedWrites(directory));
  }
  return outcome;
}

/** Temp files of writes killed before their rename (see removeStaleTemps): space, not data. */
function removeInterruptedWrites(directory: string): string[] {
  const removed = existsSync(directory) ? removeStaleTemps(directory, (name) => isAtomicTempName(name) || isSessionTempName(name)) : 0;
  return removed > 0 ? [`removed ${removed} temp file(s) left by interrupted writes (they held nothing saved)`] : [];
}

/** A repair that cannot write (a full disk) fails naming the file and the cause; it has changed nothing then. */
async function repairSessionFile(directory: string, state: SessionState): Promise<string> {
  try {
    return await repairSessionFileNow(directory, state);
  } catch (error) {
    throw ioFailure('repair', state.path, error);
  }
}

async function repairSessionFileNow(directory: string, state: SessionState): Promise<string> {
  const name = sessionFileName(state.id);
  const folder = quarantineFolderOf(directory);
  if (!state.session) {
    const moved = relative(directory, moveToQuarantine(folder, state.path));
    return `moved ${name} to ${moved}: it has no readable session header`;
  }
  const copy = relative(directory, copyToQuarantine(folder, state.path));
  let kept = 0;
  let dropped = 0;
  await replaceLog(state.path, (current) => {
    const repaired = keepValidRecords(current);
    ({ kept, dropped } = repaired);
    return repaired.bytes;
  });
  return `copied ${name} to ${copy} and rewrote it with its ${kept} valid records (${dropped} left out)`;
}
