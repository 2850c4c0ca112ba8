// The extension under test, activated, with the API its activate() returns in test mode (ExtensionMode.Test,
// which the harnesses give it: a development path plus extensionTestsPath).
import * as vscode from 'vscode';
import type { MultichatTestApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'multichat.multichat-sessions';

export async function activateMultichat(): Promise<MultichatTestApi> {
  const extension = vscode.extensions.getExtension<MultichatTestApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded in this host`);
  }
  const api = await extension.activate();
  if (!api) {
    throw new Error(`${EXTENSION_ID} returned no test API: it only does in ExtensionMode.Test (extensionTestsPath set)`);
  }
  return api;
}
