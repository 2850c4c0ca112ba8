import * as vscode from 'vscode';
import { SessionRef } from '../sessionRef';
import { ChatPanel, ChatPanelDeps } from './chatPanel';
import { chatKey, parseChatState } from './chatRefs';
import { chatWebviewOptions } from './chatWebview';

export const CHAT_VIEW_TYPE = 'multichat.chat';
export const RESTORE_SETTING = 'multichat.restoreOpenSessions';

/**
 * The open chat tabs, one per session. Tabs are WebviewPanels that VS Code restores with the
 * workspace (position, order, active tab); `revive` brings each back from its webview state.
 */
export class ChatPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, ChatPanel>();

  constructor(private readonly deps: ChatPanelDeps) {}

  /** Opens the session's tab, or reveals it (and the message) if it is already open. */
  open(ref: SessionRef): ChatPanel {
    const existing = this.find(ref);
    if (existing) {
      existing.reveal(ref.messageId);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      CHAT_VIEW_TYPE,
      'Chat',
      { viewColumn: vscode.ViewColumn.Active },
      chatWebviewOptions(this.deps.extensionUri),
    );
    return this.adopt(panel, ref);
  }

  /** The panel serializer: VS Code hands back each tab that was open when the workspace closed. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = parseChatState(state);
    const enabled = vscode.workspace.getConfiguration().get<boolean>(RESTORE_SETTING, true);
    if (!enabled || !restored || this.panels.has(chatKey(restored.ref))) {
      panel.dispose();
      return;
    }
    if (restored.draft !== '' && this.deps.drafts.get(restored.ref) === '') {
      await this.deps.drafts.set(restored.ref, restored.draft);
    }
    this.adopt(panel, restored.ref);
  }

  find(ref: Pick<SessionRef, 'folder' | 'sessionId'>): ChatPanel | undefined {
    return this.panels.get(chatKey(ref));
  }

  openRefs(): SessionRef[] {
    return [...this.panels.values()].map((panel) => ({ folder: panel.ref.folder, sessionId: panel.ref.sessionId }));
  }

  private adopt(panel: vscode.WebviewPanel, ref: SessionRef): ChatPanel {
    const key = chatKey(ref);
    const chat = new ChatPanel(panel, ref, this.deps);
    this.panels.set(key, chat);
    panel.onDidDispose(() => {
      chat.dispose();
      if (this.panels.get(key) === chat) {
        this.panels.delete(key);
      }
    });
    return chat;
  }

  dispose(): void {
    // Tabs stay open across a window reload; only their listeners end here.
    this.panels.forEach((chat) => chat.dispose());
    this.panels.clear();
  }
}
