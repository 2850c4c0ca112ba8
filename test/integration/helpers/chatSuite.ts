// What the chat suites share: the chat test API, the workspace's first folder and its store, and whether
// vscode.lm offers a real model (then the tests' own responder is not the one answering).
import * as vscode from 'vscode';
import type { SessionStore } from '../../../src/core/store';
import type { ChatTestApi } from '../../../src/extension/chat/registerChat';
import { activateMultichat } from './extension';

export interface ChatSuiteContext {
  api: ChatTestApi;
  folder: vscode.WorkspaceFolder;
  store: SessionStore;
  lmHasModels: boolean;
}

export async function openChatSuite(): Promise<ChatSuiteContext> {
  const { chat: api } = await activateMultichat();
  const folder = vscode.workspace.workspaceFolders![0];
  const store = await api.storeFor(folder.uri.toString());
  return { api, folder, store, lmHasModels: (await vscode.lm.selectChatModels()).length > 0 };
}

/** Leaves no test responder and no chat tab behind for the next suite. */
export async function closeChatSuite(api: ChatTestApi | undefined): Promise<void> {
  api?.setTestResponder(undefined);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
