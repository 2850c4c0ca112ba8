import * as vscode from 'vscode';
import { errorSentence } from '../plainText';
import { HealthDeps, describeFound, repairFolders, showWithLog, verifyFolders } from './verifyFolders';

/** Multichat: Verify Store — checks every folder's store, names what it found, offers repair. */
export function registerVerifyCommand(deps: HealthDeps): vscode.Disposable {
  return vscode.commands.registerCommand('multichat.verifyStore', async () => {
    try {
      await verifyAndOfferRepair(deps);
    } catch (error) {
      deps.logger.error('verify', 'Verify Store failed', error);
      void showWithLog(deps.logger, 'error', `Multichat could not verify the session store: ${errorSentence(error)}`);
    }
  });
}

async function verifyAndOfferRepair(deps: HealthDeps): Promise<void> {
  const found = await verifyFolders(deps, deps.stores.folders(), false);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('Multichat: every session store is healthy.');
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Multichat found ${describeFound(found)}. Repair quarantines corrupt data (nothing is deleted).`,
    'Repair',
    'Show Log',
  );
  if (choice === 'Repair') {
    await repairFolders(deps, found.map((each) => each.folder));
  } else if (choice === 'Show Log') {
    deps.logger.show();
  }
}
