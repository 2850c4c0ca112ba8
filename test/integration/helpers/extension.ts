// The extension under test, activated, with the API its activate() returns for tests.
import * as vscode from 'vscode';
import type { MultichatApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'multichat.multichat-sessions';

export async function activateMultichat(): Promise<MultichatApi> {
  const extension = vscode.extensions.getExtension<MultichatApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not loaded in this host`);
  }
  return extension.activate();
}
