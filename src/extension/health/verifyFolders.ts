import * as vscode from 'vscode';
import { describeError, isMultichatError } from '../../core/errors';
import { SessionStore, StoreProblem } from '../../core/store';
import { verifyStore } from '../../core/verifyStore';
import { describeIoCause } from '../../stores/fs/ioErrors';
import { Logger } from '../logger';
import { errorSentence } from '../plainText';
import { showWithLog } from '../commands/commandRunner';
import { countOf } from '../tree/relativeTime';
import { WorkspaceStores, storeSpecForFolder } from '../workspaceStores';
import { nameProblems, sessionTitles } from './problemPlaces';
import { StoreAccessMonitor } from './storeAccessMonitor';

// Verify and Repair over the workspace folders' stores, shared by the Verify Store command and
// the damaged-data notification: every problem and repair goes to the log, and what the user
// is shown names the first problems found in plain words.

export interface FolderProblems {
  folder: vscode.WorkspaceFolder;
  problems: StoreProblem[];
  /** Session titles by id, to name the sessions a problem lies in. */
  titles: ReadonlyMap<string, string>;
  /** false when the folder's store could not even be opened: Repair cannot help, the user must fix its location. */
  repairable: boolean;
}

export interface HealthDeps {
  stores: WorkspaceStores;
  logger: Logger;
  access: StoreAccessMonitor;
}

const COMPONENT = 'verify';

/**
 * The folders with problems (after repairing them, with `repair`). Each folder is checked alone: one whose store
 * cannot open is reported as such and the others are still checked. Throws when a store refuses repair.
 */
export async function verifyFolders(deps: HealthDeps, folders: readonly vscode.WorkspaceFolder[], repair: boolean): Promise<FolderProblems[]> {
  const found: FolderProblems[] = [];
  for (const folder of folders) {
    let store: SessionStore;
    try {
      store = await deps.stores.storeFor(folder);
    } catch (error) {
      deps.logger.error(COMPONENT, `${folder.name}: could not open the store`, error);
      found.push(unopenable(folder, error));
      continue;
    }
    const report = await verifyStore(store, repair);
    report.repairs.forEach((line) => deps.logger.info(COMPONENT, `${folder.name}: repaired ${line}`));
    report.problems.forEach((problem) => deps.logger.warn(COMPONENT, `${folder.name}: ${problem.where}: ${problem.what}`));
    // Risks that are not damage (a server that may evict keys): the log says them, they need no repair.
    report.warnings?.forEach((warning) => deps.logger.warn(COMPONENT, `${folder.name}: warning: ${warning.where}: ${warning.what}`));
    deps.logger.info(COMPONENT, `${folder.name}: ${store.spec}: ${countOf(report.problems.length, 'problem')}`);
    if (report.problems.length > 0) {
      found.push({ folder, problems: report.problems, titles: await sessionTitles(store), repairable: true });
    }
  }
  return found;
}

function unopenable(folder: vscode.WorkspaceFolder, error: unknown): FolderProblems {
  const spec = storeSpecForFolder(folder);
  const where = spec.kind === 'json' ? spec.directory : spec.file;
  const what = `the store of ${folder.name} could not be opened: ${isMultichatError(error) ? describeError(error) : describeIoCause(error)}`;
  return { folder, problems: [{ where, what }], titles: new Map(), repairable: false };
}

/** `3 problems: session "Flaky CI" (line 5: not valid JSON), index.json (…) and 1 more; see the log` */
export function describeFound(found: readonly FolderProblems[]): string {
  const problems = found.flatMap((each) => each.problems);
  const titles = new Map(found.flatMap((each) => [...each.titles]));
  const seeLog = problems.length > 1 ? '; see the log' : '';
  return `${countOf(problems.length, 'problem')}: ${nameProblems(problems, titles)}${seeLog}`;
}

/** Repairs the folders' stores and says how it went; a refusal (a read-only store) is shown as it is. */
export async function repairFolders(deps: HealthDeps, folders: readonly vscode.WorkspaceFolder[]): Promise<void> {
  let left: FolderProblems[];
  try {
    left = await verifyFolders(deps, folders, true);
  } catch (error) {
    deps.logger.error(COMPONENT, 'repair failed', error);
    void deps.access.noteWriteFailure(error);
    void showWithLog(deps.logger, 'error', `Multichat: ${errorSentence(error)}`);
    return;
  }
  if (left.length === 0) {
    void vscode.window.showInformationMessage('Multichat: store repaired. Damaged data was moved to the quarantine folder, not deleted.');
    return;
  }
  void showWithLog(deps.logger, 'warning', `Multichat: repair left ${describeFound(left)}.`);
}

