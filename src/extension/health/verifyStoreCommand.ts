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
  const repairable = found.filter((each) => each.repairable).map((each) => each.folder);
  const cannotOpen = found.filter((each) => !each.repairable);
  const advice = repairable.length > 0 ? ' Repair quarantines corrupt data (nothing is deleted).' : '';
  const fixFolders = cannotOpen.length > 0 ? ' A store that cannot be opened needs its location fixed (see the log).' : '';
  const choice = await vscode.window.showWarningMessage(
    `Multichat found ${describeFound(found)}.${advice}${fixFolders}`,
    ...(repairable.length > 0 ? ['Repair', 'Show Log'] : ['Show Log']),
  );
  if (choice === 'Repair') {
    await repairFolders(deps, repairable);
  } else if (choice === 'Show Log') {
    deps.logger.show();
  }
}
