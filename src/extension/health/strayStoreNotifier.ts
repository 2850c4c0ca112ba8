import { relative } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { BACKEND_NAMES, storeLocation, strayStoreOf } from '../../stores/storeCopies';
import { StoreSpec } from '../../stores/storeSpec';
import { showWithLog } from '../commands/commandRunner';
import { isCompleteCopy, migrateWithProgress, moveAside } from '../commands/storeCopyActions';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';
import { asSentence } from '../plainText';
import { sessionCount } from '../tree/counts';
import { reasonForUser } from '../userErrors';
import { WorkspaceStores, storageSettingsOf, storeSpecForFolder } from '../workspaceStores';

// Two stores where one is expected: a folder whose settings name one backend while the other backend's store (at
// the location the same settings name) still holds sessions — what a switch made before the old copy was moved
// aside, or a cancelled copy, leaves behind. The sessions there are shown nowhere and the CLI does not read them
// either (it follows the same settings), so the user is told once per window, with the way out at hand: copy them
// into the store in use and move the old copy aside (kept, never deleted).

const COMPONENT = 'stores';

export class StrayStoreNotifier extends DisposableObject {
  /** Folder URI + stray location, warned about in this window. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly logger: Logger,
  ) {
    super();
    this._register(stores.onDidChangeStores(() => this.check()));
  }

  /** Looks at every folder not being switched right now; warns about each stray store once. */
  check(): void {
    for (const folder of this.stores.folders()) {
      if (this.isDisposed || this.stores.isSwitching(folder)) {
        continue;
      }
      const stray = this.strayOf(folder);
      const key = stray && `${folder.uri.toString()}\n${storeLocation(stray)}`;
      if (key && !this.warned.has(key)) {
        this.warned.add(key);
        void this.warn(folder, stray);
      }
    }
  }

  private strayOf(folder: vscode.WorkspaceFolder): StoreSpec | undefined {
    try {
      return strayStoreOf(storageSettingsOf(folder), folder.uri.fsPath);
    } catch (error) {
      this.logger.warn(COMPONENT, `${folder.name}: could not look for a second store: ${describeError(error)}`);
      return undefined;
    }
  }

  private async warn(folder: vscode.WorkspaceFolder, stray: StoreSpec): Promise<void> {
    const inUse = storeSpecForFolder(folder);
    const where = (spec: StoreSpec) => relative(folder.uri.fsPath, storeLocation(spec)) || '.';
    this.logger.warn(COMPONENT, `${folder.name}: two stores: ${inUse.kind} at ${storeLocation(inUse)} (in use) and ${stray.kind} at ${storeLocation(stray)}`);
    const copyIn = vscode.l10n.t('Copy In and Move Aside');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Multichat: {0} has two session stores: {1} at {2}, in use as its settings say, and an older {3} copy at {4}, whose sessions are shown nowhere (the CLI follows the same settings). Copy them into the {1} store and move the old copy aside (kept, not deleted)?',
        folder.name,
        BACKEND_NAMES[inUse.kind],
        where(inUse),
        BACKEND_NAMES[stray.kind],
        where(stray),
      ),
      copyIn,
    );
    if (choice === copyIn) {
      await this.copyInAndMoveAside(folder, stray, inUse).catch((error: unknown) => {
        this.logger.error(COMPONENT, `${folder.name}: copying the second store in failed`, error);
        void showWithLog(this.logger, 'error', vscode.l10n.t('Multichat could not copy the older sessions: {0}', asSentence(reasonForUser(error))));
      });
    }
  }

  private async copyInAndMoveAside(folder: vscode.WorkspaceFolder, stray: StoreSpec, inUse: StoreSpec): Promise<void> {
    const migration = await this.stores.whileSwitching(folder, () => Promise.resolve(migrateWithProgress(this.stores, stray, folder)));
    if (!isCompleteCopy(migration)) {
      this.warned.delete(`${folder.uri.toString()}\n${storeLocation(stray)}`);
      void showWithLog(this.logger, 'warning', vscode.l10n.t('Multichat: the copy was not completed, so the older copy stays where it is; the log has the details.'));
      return;
    }
    const aside = moveAside(this.logger, folder, stray, inUse.kind) ?? storeLocation(stray);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Multichat: copied {0} into the {1} store; the older copy is kept at {2}.', sessionCount(migration.total), BACKEND_NAMES[inUse.kind], aside),
    );
  }
}
