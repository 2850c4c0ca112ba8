// Switch Storage Backend…: sets `multichat.storage.backend` for one workspace folder and offers
// to copy the existing sessions into the new store — one at a time, as the CLI's migrate does
// (interop/migrate.ts), then checked against the old store. The old store is never changed, so
// nothing is lost if the copy is cancelled or fails; copying again finishes it.
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { SessionStore } from '../../core/store';
import { MigrationResult, migrateSessions } from '../../interop/migrate';
import { mismatchError } from '../../interop/migrationCheck';
import { openStore } from '../../stores/openStore';
import { StoreSpec } from '../../stores/storeSpec';
import { WorkspaceStores, storeSpecForFolder } from '../workspaceStores';
import { sessionCount } from '../tree/counts';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg } from './commandRunner';
import { resolveFolder } from './targets';

type Backend = StoreSpec['kind'];

export interface SwitchBackendArgs {
  folder: string;
  backend: Backend;
  /** Copy the sessions across; asked when missing and there is something to copy. */
  migrate: boolean;
}

const BACKEND_NAMES: Record<Backend, string> = { json: 'JSON', sqlite: 'SQLite' };
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
      await switchSetting(deps.stores, folder, backend);
      const migration = migrate ? await migrateWithProgress(deps, from, folder) : undefined;
      reportSwitch(deps, { folder, from, backend, migration });
      return { backend, switched: true, migration };
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
  return count > 0 ? askMigrate(plan.folder, plan.backend, count) : false;
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
async function askMigrate(folder: vscode.WorkspaceFolder, backend: Backend, count: number): Promise<boolean | undefined> {
  const choice = await vscode.window.showInformationMessage(
    `Switch ${folder.name} to ${BACKEND_NAMES[backend]} storage?`,
    { modal: true, detail: `Copy its ${sessionCount(count)} into the new store? They also stay where they are now.` },
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
    throw new Error(`could not open the ${BACKEND_NAMES[backend]} store, so ${folder.name} stays as it was`, { cause: error });
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

function migrateWithProgress(deps: SessionCommandDeps, from: StoreSpec, folder: vscode.WorkspaceFolder): Thenable<MigrationResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Copying sessions of ${folder.name}`, cancellable: true },
    async (progress, token) => {
      const source: SessionStore = await openStore(from);
      try {
        return await migrateSessions(source, await deps.stores.storeFor(folder), {
          check: true,
          onProgress: (done, total) => progress.report({ message: `${done} of ${total}`, increment: 100 / total }),
          isCancelled: () => token.isCancellationRequested,
        });
      } finally {
        await source.close();
      }
    },
  );
}

interface SwitchReport {
  folder: vscode.WorkspaceFolder;
  from: StoreSpec;
  backend: Backend;
  migration?: MigrationResult;
}

function reportSwitch(deps: SessionCommandDeps, report: SwitchReport): void {
  const { folder, from, backend, migration } = report;
  const switched = `Multichat: ${folder.name} now keeps its sessions in ${BACKEND_NAMES[backend]} storage.`;
  deps.logger.info('commands', `${folder.name}: switched from ${from.kind} to ${backend}${migration ? `, copy: ${JSON.stringify(migration)}` : ''}`);
  if (!migration) {
    void vscode.window.showInformationMessage(switched);
    return;
  }
  const copied = `imported ${migration.imported}, updated ${migration.updated}, unchanged ${migration.unchanged}`;
  const mismatch = migration.check && mismatchError(migration.check);
  if (mismatch) {
    deps.logger.error('commands', `${folder.name}: ${mismatch.message}`);
    void vscode.window.showErrorMessage(`${switched} But ${mismatch.message}. Your sessions are still in ${BACKEND_NAMES[from.kind]} storage.`);
    return;
  }
  if (!migration.cancelled) {
    void vscode.window.showInformationMessage(`${switched} Copied ${sessionCount(migration.total)}: ${copied}.`);
    return;
  }
  void vscode.window
    .showWarningMessage(`${switched} The copy was cancelled (${copied} of ${migration.total}); the rest are still in ${BACKEND_NAMES[from.kind]} storage.`, 'Copy the Rest')
    .then(async (choice) => {
      if (choice === 'Copy the Rest') {
        reportSwitch(deps, { ...report, migration: await migrateWithProgress(deps, from, folder) });
      }
    })
    .then(undefined, (error: unknown) => {
      deps.logger.error('commands', 'copying the rest of the sessions failed', error);
      void vscode.window.showErrorMessage(`Multichat could not copy the sessions: ${describeError(error)}`);
    });
}
