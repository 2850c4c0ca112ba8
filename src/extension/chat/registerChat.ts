import * as vscode from 'vscode';
import { SessionStore } from '../../core/store';
import { WebviewSnapshot } from '../../webview/shared/protocol';
import { registerCommandSpec } from '../commands/commandRunner';
import { StoreAccessMonitor } from '../health/storeAccessMonitor';
import { Logger } from '../logger';
import { SessionRef } from '../sessionRef';
import { WorkspaceStores } from '../workspaceStores';
import { ChatDrafts } from './chatDrafts';
import { ChatResponder } from './modelHandle';
import { LanguageModels } from './languageModels';
import { ChatPanel } from './chatPanel';
import { CHAT_VIEW_TYPE, ChatPanelRegistry } from './chatPanelRegistry';
import { isSessionRef } from '../sessionRef';

export interface ChatDeps {
  context: vscode.ExtensionContext;
  stores: WorkspaceStores;
  access: StoreAccessMonitor;
  logger: Logger;
}

/** Hooks for the integration tests: `activate` exports them in ExtensionMode.Test only (extension.ts). */
export interface ChatTestApi {
  /** The store that the tabs of a workspace folder (by URI string) watch. */
  storeFor(folder: string): Promise<SessionStore>;
  openRefs(): SessionRef[];
  panelTitle(ref: SessionRef): string | undefined;
  draftFor(ref: SessionRef): string;
  /** Sends as the input box does; resolves when the reply (or notice) is complete. */
  sendForTest(ref: SessionRef, text: string): Promise<void>;
  stopForTest(ref: SessionRef): void;
  /** Presses the notice's Retry as the webview does; resolves when the reply (or notice) is complete. */
  retryForTest(ref: SessionRef): Promise<void>;
  /** The tab's real rendered DOM, reported by its webview. */
  getWebviewDomForTest(ref: SessionRef): Promise<WebviewSnapshot>;
  /** A local model, used only while vscode.lm offers none. */
  setTestResponder(responder: ChatResponder | undefined): void;
  /** Runs the panel serializer as VS Code does on workspace restore. */
  reviveForTest(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
}

/** Registers the chat tabs: the open command, the restore serializer and their services. */
export function registerChat(deps: ChatDeps): { api: ChatTestApi; onDidChangeActiveSession: vscode.Event<SessionRef> } {
  const { context, stores, access, logger } = deps;
  const models = new LanguageModels();
  const drafts = new ChatDrafts(context.workspaceState);
  const panels = new ChatPanelRegistry({ extensionUri: context.extensionUri, stores, models, drafts, access, logger });
  context.subscriptions.push(
    models,
    panels,
    vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, panels),
    registerCommandSpec(logger, {
      id: 'multichat.openSession',
      failure: 'open the chat session',
      run: async (ref?: unknown) => {
        // Without a session (a script, a keybinding), it asks as Open Session… does: one picker for both.
        if (isSessionRef(ref)) {
          panels.open(ref);
        } else {
          await vscode.commands.executeCommand('multichat.quickOpenSession');
        }
      },
    }),
  );
  return { api: createTestApi(panels, models, drafts, stores), onDidChangeActiveSession: panels.onDidChangeActive };
}

function createTestApi(panels: ChatPanelRegistry, models: LanguageModels, drafts: ChatDrafts, stores: WorkspaceStores): ChatTestApi {
  const panelFor = (ref: SessionRef): ChatPanel => {
    const panel = panels.find(ref);
    if (!panel) {
      throw new Error(`no chat tab is open for session ${ref.sessionId}`);
    }
    return panel;
  };
  return {
    storeFor: async (folder) => stores.storeFor(stores.requireFolder(folder)),
    openRefs: () => panels.openRefs(),
    panelTitle: (ref) => panels.find(ref)?.panel.title,
    draftFor: (ref) => drafts.get(ref),
    sendForTest: (ref, text) => panelFor(ref).send(text),
    stopForTest: (ref) => panelFor(ref).stop(),
    retryForTest: (ref) => panelFor(ref).retry(),
    getWebviewDomForTest: (ref) => panelFor(ref).snapshot(),
    setTestResponder: (responder) => models.setTestResponder(responder),
    reviveForTest: (panel, state) => panels.deserializeWebviewPanel(panel, state),
  };
}
