// Switch Storage Backend…: sets `multichat.storage.backend` for one workspace folder and offers
// to copy the existing sessions into the new store — one at a time, as the CLI's migrate does
// (interop/migrate.ts), then checked against the old store. The old store's data is never changed:
// once the copy is complete (or the user chose not to copy), the old store is moved aside under a
// name that says what replaced it, so the CLI (which follows the same settings) and a later switch
// never read it as the live store. A cancelled or failed copy leaves it in place; copying again
// finishes it.
import * as vscode from 'vscode';
import { storeUnavailable } from '../../core/errors';
import { MigrationResult } from '../../interop/migrate';
import { mismatchError } from '../../interop/migrationCheck';
import { BACKEND_NAMES } from '../../stores/storeCopies';
import { StoreSpec } from '../../stores/storeSpec';
import { asSentence } from '../plainText';
import { reasonForUser } from '../userErrors';
import { WorkspaceStores, storeSpecForFolder } from '../workspaceStores';
import { sessionCount } from '../tree/counts';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg } from './commandRunner';
import { isCompleteCopy, migrateWithProgress, moveAside } from './storeCopyActions';
import { resolveFolder } from './targets';

type Backend = StoreSpec['kind'];

export interface SwitchBackendArgs {
  folder: string;
  backend: Backend;
  /** Copy the sessions across; asked when missing and there is something to copy. */
  migrate: boolean;
}

const STORES_REOPEN_TIMEOUT_MS = 10_000;

export function switchBackendCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.switchStorageBackend',
    failure: 'switch the storage backend',
    run: async (arg?: unknown) => {
      const options = optionsArg<SwitchBackendArgs>(arg);
      const plan = await planSwitch(deps, options);
      if (!plan) {
        return undefined;
      }
      const { folder, from, backend } = plan;
      if (backend === from.kind) {
        void vscode.window.showInformationMessage(`Multichat: ${folder.name} already uses ${BACKEND_NAMES[backend]} storage.`);
        return { backend, switched: false };
      }
      const migrate = await shouldMigrate(deps, plan, options.migrate);
      if (migrate === undefined) {
        return undefined;
      }
      return deps.stores.whileSwitching(folder, async () => {
        await switchSetting(deps.stores, folder, backend);
        const migration = migrate ? await migrateWithProgress(deps.stores, from, folder) : undefined;
        const movedAside = migration === undefined || isCompleteCopy(migration) ? moveAside(deps.logger, folder, from, backend) : undefined;
        reportSwitch(deps, { folder, from, backend, migration, movedAside });
        return { backend, switched: true, migration, movedAside };
      });
    },
  };
}

interface SwitchPlan {
  folder: vscode.WorkspaceFolder;
  from: StoreSpec;
  backend: Backend;
}

async function planSwitch(deps: SessionCommandDeps, options: Partial<SwitchBackendArgs>): Promise<SwitchPlan | undefined> {
  const folderUri = await resolveFolder(deps.catalog, options.folder, 'Switch the storage of which folder?');
  if (folderUri === undefined) {
    return undefined;
  }
  const folder = deps.catalog.workspaceFolder(folderUri);
  const from = storeSpecForFolder(folder);
  const backend = options.backend === 'json' || options.backend === 'sqlite' ? options.backend : await pickBackend(from.kind);
  return backend && { folder, from, backend };
}

/** The caller's choice, else ask (only when there is something to copy); undefined when cancelled. */
async function shouldMigrate(deps: SessionCommandDeps, plan: SwitchPlan, choice: unknown): Promise<boolean | undefined> {
  if (typeof choice === 'boolean') {
    return choice;
  }
  const count = (await (await deps.stores.storeFor(plan.folder)).list()).length;
  return count > 0 ? askMigrate(plan.folder, { from: plan.from.kind, backend: plan.backend }, count) : false;
}

async function pickBackend(current: Backend): Promise<Backend | undefined> {
  const items = (['json', 'sqlite'] as const).map((kind) => ({
    label: BACKEND_NAMES[kind],
    description: kind === current ? 'current' : undefined,
    detail: kind === 'json' ? 'One JSON-lines file per session in the workspace (git-friendly)' : 'One SQLite database file with full-text search',
    backend: kind,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Keep the chat sessions in' });
  return picked?.backend;
}

/** true: copy, false: switch only, undefined: cancelled. */
async function askMigrate(folder: vscode.WorkspaceFolder, { from, backend }: { from: Backend; backend: Backend }, count: number): Promise<boolean | undefined> {
  const choice = await vscode.window.showInformationMessage(
    `Switch ${folder.name} to ${BACKEND_NAMES[backend]} storage?`,
    {
      modal: true,
      detail: vscode.l10n.t('Copy its {0} into the new store? Either way, the old {1} store is then kept, moved aside under a name that says it was replaced.', sessionCount(count), BACKEND_NAMES[from]),
    },
    'Switch and Copy',
    'Switch Only',
  );
  return choice === undefined ? undefined : choice === 'Switch and Copy';
}

/** Writes the folder setting and waits until the stores have reopened with it; reverts if the new store cannot open. */
async function switchSetting(stores: WorkspaceStores, folder: vscode.WorkspaceFolder, backend: Backend): Promise<void> {
  const settings = vscode.workspace.getConfiguration('multichat.storage', folder.uri);
  const previous = settings.inspect<string>('backend')?.workspaceFolderValue;
  await updateAndWait(stores, () => settings.update('backend', backend, vscode.ConfigurationTarget.WorkspaceFolder));
  try {
    await stores.storeFor(folder);
  } catch (error) {
    await updateAndWait(stores, () => settings.update('backend', previous, vscode.ConfigurationTarget.WorkspaceFolder));
    throw storeUnavailable(`could not open the ${BACKEND_NAMES[backend]} store (${reasonForUser(error)}), so ${folder.name} stays as it was`, error);
  }
}

async function updateAndWait(stores: WorkspaceStores, update: () => Thenable<void>): Promise<void> {
  let subscription: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const reopened = new Promise<void>((resolve) => {
    subscription = stores.onDidChangeStores(() => resolve());
    // Should the event never come (the value did not change after all), carry on anyway.
    timer = setTimeout(resolve, STORES_REOPEN_TIMEOUT_MS);
  });
  try {
    await update();
    await reopened;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
}

interface SwitchReport {
  folder: vscode.WorkspaceFolder;
  from: StoreSpec;
  backend: Backend;
  migration?: MigrationResult;
  /** Where the old store went, relative to the folder. */
  movedAside?: string;
}

function reportSwitch(deps: SessionCommandDeps, report: SwitchReport): void {
  const { folder, from, backend, migration, movedAside } = report;
  const oldName = BACKEND_NAMES[from.kind];
  const switched = vscode.l10n.t('Multichat: {0} now keeps its sessions in {1} storage.', folder.name, BACKEND_NAMES[backend]);
  const kept = movedAside ? ` ${vscode.l10n.t('The old {0} copy is kept, moved aside to {1}.', oldName, movedAside)}` : '';
  deps.logger.info('commands', `${folder.name}: switched from ${from.kind} to ${backend}${migration ? `, copy: ${JSON.stringify(migration)}` : ''}`);
  if (!migration) {
    void vscode.window.showInformationMessage(`${switched}${kept}`);
    return;
  }
  const copied = `imported ${migration.imported}, updated ${migration.updated}, unchanged ${migration.unchanged}`;
  const mismatch = migration.check && mismatchError(migration.check);
  if (mismatch) {
    deps.logger.error('commands', `${folder.name}: ${mismatch.message}`);
    void vscode.window.showErrorMessage(`${switched} ${vscode.l10n.t('But {0}. Your sessions are still in {1} storage, which stays where it is.', mismatch.message, oldName)}`);
    return;
  }
  if (!migration.cancelled) {
    void vscode.window.showInformationMessage(`${switched} ${vscode.l10n.t('Copied {0}: {1}.', sessionCount(migration.total), copied)}${kept}`);
    return;
  }
  const copyTheRest = vscode.l10n.t('Copy the Rest');
  void vscode.window
    .showWarningMessage(`${switched} ${vscode.l10n.t('The copy was cancelled ({0} of {1}); the rest are still in {2} storage.', copied, migration.total, oldName)}`, copyTheRest)
    .then(async (choice) => {
      if (choice === copyTheRest) {
        const rest = await migrateWithProgress(deps.stores, from, folder);
        reportSwitch(deps, { ...report, migration: rest, movedAside: isCompleteCopy(rest) ? moveAside(deps.logger, folder, from, backend) : undefined });
      }
    })
    .then(undefined, (error: unknown) => {
      deps.logger.error('commands', 'copying the rest of the sessions failed', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Multichat could not copy the sessions: {0}', asSentence(reasonForUser(error))));
    });
}
