// Copying a folder's sessions from its old store into the one its settings now name, and moving the old store aside
// once that is done — for Switch Storage Backend and for the warning about a stray second store. Moved aside means
// renamed to `<old location>.replaced-by-<backend>-<time>` (storeCopies.ts): kept, never deleted, and no longer a
// second store that the CLI or a later switch could mistake for the live one.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { SessionStore } from '../../core/store';
import { MigrationResult, migrateSessions } from '../../interop/migrate';
import { mismatchError } from '../../interop/migrationCheck';
import { openStore } from '../../stores/openStore';
import { Backend, holdsSessions, moveStoreAside } from '../../stores/storeCopies';
import { StoreSpec } from '../../stores/storeSpec';
import { Logger } from '../logger';
import { WorkspaceStores } from '../workspaceStores';

export function migrateWithProgress(stores: WorkspaceStores, from: StoreSpec, folder: vscode.WorkspaceFolder): Thenable<MigrationResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Copying sessions of {0}', folder.name), cancellable: true },
    async (progress, token) => {
      const source: SessionStore = await openStore(from);
      try {
        return await migrateSessions(source, await stores.storeFor(folder), {
          check: true,
          onProgress: (done, total) => progress.report({ message: vscode.l10n.t('{0} of {1}', done, total), increment: 100 / total }),
          isCancelled: () => token.isCancellationRequested,
        });
      } finally {
        await source.close();
      }
    },
  );
}

/** Whether a copy has every session of the old store, checked: only then may the old store go aside. */
export function isCompleteCopy(migration: MigrationResult): boolean {
  return !migration.cancelled && !(migration.check && mismatchError(migration.check));
}

/** Moves the old store aside (when it has anything); resolves with where it went, relative to the folder. */
export function moveAside(logger: Logger, folder: vscode.WorkspaceFolder, from: StoreSpec, replacedBy: Backend): string | undefined {
  if (!holdsSessions(from)) {
    return undefined;
  }
  const aside = moveStoreAside(from, replacedBy);
  logger.info('stores', `${folder.name}: moved the replaced ${from.kind} store aside to ${aside}`);
  return relative(folder.uri.fsPath, aside) || aside;
}
