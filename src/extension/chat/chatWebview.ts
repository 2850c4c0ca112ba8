import * as vscode from 'vscode';
import { FromWebview, ToWebview, WebviewSnapshot } from '../../webview/shared/protocol';
import { DisposableObject } from '../lifecycle';
import { buildChatHtml, createNonce } from './chatHtml';
import { parseWebviewMessage } from './webviewInbox';

const SNAPSHOT_TIMEOUT_MS = 10_000;

export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Chat content is untrusted: never let a rendered link run a command.
    enableCommandUris: false,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The webview side of one chat tab: its options and HTML, the "ready" handshake and posting.
 * Hidden tabs drop their DOM (no retainContextWhenHidden, to keep memory low), so the tab posts
 * "ready" again when shown and gets the whole view anew; posts in between are skipped.
 */
export class ChatWebview extends DisposableObject {
  private ready = false;
  private readonly readyWaiters: (() => void)[] = [];
  private readonly snapshotWaiters = new Map<number, (snapshot: WebviewSnapshot) => void>();
  private nextRequestId = 1;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onMessage: (message: FromWebview) => void,
  ) {
    super();
    const webview = panel.webview;
    webview.options = chatWebviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'multichat.svg');
    webview.html = buildChatHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat', 'chat.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat', 'chat.css')).toString(),
      title: panel.title,
    });
    this._register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          this.ready = false;
        }
      }),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  post(message: ToWebview): void {
    if (this.ready) {
      void this.panel.webview.postMessage(message);
    }
  }

  /** Asks the webview for its rendered DOM (tests); shows the tab first so it is live. */
  async snapshot(): Promise<WebviewSnapshot> {
    if (!this.panel.visible) {
      this.panel.reveal(undefined, true);
    }
    await this.whenReady();
    const requestId = this.nextRequestId++;
    return new Promise<WebviewSnapshot>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.snapshotWaiters.delete(requestId);
        reject(new Error('the chat webview did not answer'));
      }, SNAPSHOT_TIMEOUT_MS);
      this.snapshotWaiters.set(requestId, (snapshot) => {
        clearTimeout(timer);
        resolve(snapshot);
      });
      this.post({ type: 'snapshotRequest', requestId });
    });
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      return;
    }
    if (message.type === 'snapshot') {
      this.snapshotWaiters.get(message.requestId)?.(message.snapshot);
      this.snapshotWaiters.delete(message.requestId);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
    }
    this.onMessage(message);
    if (message.type === 'ready') {
      this.readyWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  override dispose(): void {
    this.ready = false;
    super.dispose();
  }
}
