import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { DisposableObject } from '../lifecycle';
import { SessionRef, sessionKey } from '../sessionRef';
import { ChatPanel, ChatPanelDeps } from './chatPanel';
import { parseChatState } from './chatRefs';
import { chatPanelOptions } from './chatWebview';

export const CHAT_VIEW_TYPE = 'multichat.chat';
export const RESTORE_SETTING = 'multichat.restoreOpenSessions';
/** Times one session's tab is opened afresh in a window because its page never loaded. */
const MAX_FRESH_TABS = 3;

/**
 * The open chat tabs, one per session. Tabs are WebviewPanels that VS Code restores with the
 * workspace (position, order, active tab); `revive` brings each back from its webview state.
 */
export class ChatPanelRegistry extends DisposableObject implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly freshTabs = new Map<string, number>();
  private readonly _onDidChangeActive = this._register(new vscode.EventEmitter<SessionRef>());
  /** Fires with the session of a chat tab that became the active editor (the tree follows it). */
  readonly onDidChangeActive = this._onDidChangeActive.event;

  constructor(private readonly deps: ChatPanelDeps) {
    super();
    // Tabs stay open across a window reload; only their listeners end here.
    this._register({ dispose: () => this.panels.forEach((chat) => chat.dispose()) });
  }

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
      chatPanelOptions(this.deps.extensionUri),
    );
    const chat = this.adopt(panel, ref, { openedByUser: true });
    this._onDidChangeActive.fire(chat.ref); // a new tab opens active, without a view state change
    return chat;
  }

  /** The panel serializer: VS Code hands back each tab that was open when the workspace closed. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = parseChatState(state);
    const enabled = vscode.workspace.getConfiguration().get<boolean>(RESTORE_SETTING, true);
    if (!restored) {
      this.deps.logger.warn('chat', `a restored chat tab ("${panel.title}") did not say which session it shows; it is closed`);
    }
    if (!enabled || !restored || this.panels.has(sessionKey(restored.ref)) || (await this.isGone(restored.ref))) {
      panel.dispose();
      return;
    }
    // Restoring several tabs at once: another restore of this session may have finished meanwhile.
    if (this.panels.has(sessionKey(restored.ref))) {
      panel.dispose();
      return;
    }
    if (restored.draft !== '' && this.deps.drafts.get(restored.ref) === '') {
      await this.deps.drafts.set(restored.ref, restored.draft);
    }
    this.adopt(panel, restored.ref, { openedByUser: false });
    if (panel.active) {
      this._onDidChangeActive.fire(restored.ref);
    }
  }

  /**
   * A tab of a session deleted while the window was closed (or whose folder left the workspace) is not
   * restored. A store that cannot be read now is no proof: that tab comes back and says what failed.
   */
  private async isGone(ref: SessionRef): Promise<boolean> {
    const folder = this.deps.stores.folderFor(ref.folder);
    if (!folder) {
      return true;
    }
    try {
      return (await (await this.deps.stores.storeFor(folder)).get(ref.sessionId)) === undefined;
    } catch (error) {
      this.deps.logger.warn('chat', `could not check session ${ref.sessionId} before restoring its tab: ${describeError(error)}`);
      return false;
    }
  }

  find(ref: Pick<SessionRef, 'folder' | 'sessionId'>): ChatPanel | undefined {
    return this.panels.get(sessionKey(ref));
  }

  openRefs(): SessionRef[] {
    return [...this.panels.values()].map((panel) => ({ folder: panel.ref.folder, sessionId: panel.ref.sessionId }));
  }

  private adopt(panel: vscode.WebviewPanel, ref: SessionRef, options: { openedByUser: boolean }): ChatPanel {
    const key = sessionKey(ref);
    const chat = new ChatPanel(panel, ref, this.deps, options);
    this.panels.set(key, chat);
    panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) {
        this._onDidChangeActive.fire(ref);
      }
    });
    panel.onDidDispose(() => {
      chat.dispose();
      if (this.panels.get(key) === chat) {
        this.panels.delete(key);
      }
    });
    chat.onDidStaySilent(() => this.openAfresh(chat));
    return chat;
  }

  /** A tab whose page never loaded is replaced by a new tab in its place (see pageSilenceWatch.ts). */
  private openAfresh(chat: ChatPanel): void {
    const key = sessionKey(chat.ref);
    const tries = (this.freshTabs.get(key) ?? 0) + 1;
    if (tries > MAX_FRESH_TABS) {
      this.deps.logger.error('chat', `the chat tab "${chat.panel.title}" did not load in ${tries} tabs; close it and open the session again`);
      return;
    }
    this.freshTabs.set(key, tries);
    this.deps.logger.warn('chat', `opening the chat tab "${chat.panel.title}" afresh (try ${tries})`);
    const { viewColumn, active } = chat.panel;
    const panel = vscode.window.createWebviewPanel(
      CHAT_VIEW_TYPE,
      chat.panel.title,
      { viewColumn: viewColumn ?? vscode.ViewColumn.Active, preserveFocus: !active },
      chatPanelOptions(this.deps.extensionUri),
    );
    // The new tab first, then the old one closed: closing the only tab of a group would close the group.
    chat.panel.dispose();
    this.adopt(panel, chat.ref, { openedByUser: false });
  }

}
