import * as vscode from 'vscode';
import { verifyStore } from '../core/verifyStore';
import { Logger } from './logger';
import { WorkspaceStores } from './workspaceStores';

/** Multichat: Verify Store — checks every folder's store, reports in the log, offers repair. */
export function registerVerifyCommand(stores: WorkspaceStores, logger: Logger): vscode.Disposable {
  return vscode.commands.registerCommand('multichat.verifyStore', async () => {
    const problems = await verifyAll(stores, logger, false);
    if (problems === 0) {
      void vscode.window.showInformationMessage('Multichat: every session store is healthy.');
      return;
    }
    logger.show();
    const choice = await vscode.window.showWarningMessage(
      `Multichat found ${problems} problem(s) in the session store. Repair quarantines corrupt data (nothing is deleted).`,
      'Repair',
      'Show Log',
    );
    if (choice === 'Repair') {
      const left = await verifyAll(stores, logger, true);
      void vscode.window.showInformationMessage(left === 0 ? 'Multichat: store repaired.' : `Multichat: ${left} problem(s) remain; see the log.`);
    } else if (choice === 'Show Log') {
      logger.show();
    }
  });
}

async function verifyAll(stores: WorkspaceStores, logger: Logger, repair: boolean): Promise<number> {
  let problems = 0;
  for (const folder of stores.folders()) {
    const store = await stores.storeFor(folder);
    const report = await verifyStore(store, repair);
    report.repairs.forEach((line) => logger.info('verify', `${folder.name}: repaired ${line}`));
    report.problems.forEach((problem) => logger.warn('verify', `${folder.name}: ${problem.where}: ${problem.what}`));
    logger.info('verify', `${folder.name}: ${store.spec}: ${report.problems.length} problem(s)`);
    problems += report.problems.length;
  }
  return problems;
}
