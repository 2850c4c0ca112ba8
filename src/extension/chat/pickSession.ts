import * as vscode from 'vscode';
import { SessionRef } from '../sessionRef';
import { WorkspaceStores } from '../workspaceStores';

interface SessionPick extends vscode.QuickPickItem {
  ref: SessionRef;
}

/** Lets the user choose a session when the open command is run from the palette. */
export async function pickSessionRef(stores: WorkspaceStores): Promise<SessionRef | undefined> {
  const folders = stores.folders();
  const items: SessionPick[] = [];
  for (const folder of folders) {
    const summaries = await (await stores.storeFor(folder)).list();
    for (const summary of summaries) {
      items.push({
        label: summary.title,
        description: folders.length > 1 ? folder.name : undefined,
        detail: `${summary.messageCount} message(s) · updated ${new Date(summary.lastMessageAt).toLocaleString()}`,
        ref: { folder: folder.uri.toString(), sessionId: summary.id },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Multichat: there are no chat sessions in this workspace yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Open a chat session', matchOnDetail: true });
  return picked?.ref;
}
