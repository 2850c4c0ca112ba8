// Points the workspace folder's store elsewhere through its settings (as a user would), and back. Other suites
// share the host, so every suite that moves the store restores the defaults afterwards.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SessionStore } from '../../../src/core/store';
import type { ChatTestApi } from '../../../src/extension/chat/registerChat';
import { StoreSpec, formatStoreSpec } from '../../../src/stores/storeSpec';
import { waitFor } from './waitFor';

const TARGET = vscode.ConfigurationTarget.WorkspaceFolder;

function settingsOf(folder: vscode.WorkspaceFolder): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('multichat.storage', folder.uri);
}

/** A store of the given backend in `directory` (SQLite: its `sessions.sqlite`). */
export function storeSpecIn(backend: StoreSpec['kind'], directory: string): StoreSpec {
  return backend === 'json' ? { kind: 'json', directory } : { kind: 'sqlite', file: join(directory, 'sessions.sqlite') };
}

/** Resolves with the store the extension uses once it has reopened at `spec`. */
export async function useStoreAt(api: ChatTestApi, folder: vscode.WorkspaceFolder, spec: StoreSpec): Promise<SessionStore> {
  if (spec.kind === 'json') {
    await settingsOf(folder).update('jsonDirectory', spec.directory, TARGET);
  } else {
    await settingsOf(folder).update('sqliteFile', spec.file, TARGET);
  }
  await settingsOf(folder).update('backend', spec.kind, TARGET);
  return storeOnceOpenAt(api, folder, formatStoreSpec(spec));
}

/** Back to the default store, `.multichat` in the folder. */
export async function restoreDefaultStore(api: ChatTestApi, folder: vscode.WorkspaceFolder): Promise<void> {
  for (const key of ['backend', 'jsonDirectory', 'sqliteFile']) {
    await settingsOf(folder).update(key, undefined, TARGET);
  }
  await storeOnceOpenAt(api, folder, `json:${join(folder.uri.fsPath, '.multichat')}`);
}

async function storeOnceOpenAt(api: ChatTestApi, folder: vscode.WorkspaceFolder, spec: string): Promise<SessionStore> {
  const current = async () => (await api.storeFor(folder.uri.toString())).spec;
  await waitFor(`the store reopening at ${spec}`, current, (opened) => opened === spec, 10_000);
  return api.storeFor(folder.uri.toString());
}
