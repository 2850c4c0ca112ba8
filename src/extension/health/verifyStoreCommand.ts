import * as vscode from 'vscode';
import { registerCommandSpec } from '../commands/commandRunner';
import { HealthDeps, describeFound, repairFolders, verifyFolders } from './verifyFolders';

/** Multichat: Verify Store — checks every folder's store, names what it found, offers repair. */
export function registerVerifyCommand(deps: HealthDeps): vscode.Disposable {
  return registerCommandSpec(deps.logger, { id: 'multichat.verifyStore', failure: 'verify the session store', run: () => verifyAndOfferRepair(deps) });
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
