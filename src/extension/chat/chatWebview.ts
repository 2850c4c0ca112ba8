import * as vscode from 'vscode';
import { ChatRefState, FromWebview, ToWebview, WebviewSnapshot } from '../../webview/shared/protocol';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';
import { buildChatHtml, createNonce } from './chatHtml';
import { PAGE_SILENCE_MS, PageSilenceWatch } from './pageSilenceWatch';
import { parseWebviewMessage } from './webviewInbox';

const SNAPSHOT_TIMEOUT_MS = 10_000;
/** Loads of one page before the tab stops asking for a fresh one and says so. */
export const MAX_LOAD_ATTEMPTS = 3;
/**
 * A page that failed this long after it was made had loaded before (VS Code rebuilt it, after a move
 * say): a new failure, with its own tries, not the last try of the old one.
 */
const NEW_FAILURE_AFTER_MS = 60_000;

export function chatWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Chat content is untrusted: never let a rendered link run a command.
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Options of a new chat tab (a restored tab comes back with those it was made with). */
export function chatPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    ...chatWebviewOptions(extensionUri),
    enableFindWidget: true,
    // Switching back to a hidden tab must paint at once: rebuilding its page took 1.2-1.5 s. What a kept
    // page costs is measured by scripts/vscode-host/ui-tabs.mjs.
    retainContextWhenHidden: true,
  };
}

/**
 * The webview side of one chat tab: its options and HTML, the "ready" handshake and posting. Tabs
 * keep their page while hidden; a tab restored from a session that made it without that option drops
 * its DOM when hidden, posts "ready" again when shown and gets the whole view anew (posts in between
 * are skipped). A page whose own files did not load asks for a fresh one, a bounded number of times.
 */
export class ChatWebview extends DisposableObject {
  private ready = false;
  private loadAttempt = 0;
  private renderedAt = 0;
  private readonly readyWaiters: (() => void)[] = [];
  private readonly snapshotWaiters = new Map<number, (snapshot: WebviewSnapshot) => void>();
  private nextRequestId = 1;
  private readonly silence: PageSilenceWatch;
  private readonly _onDidStaySilent = this._register(new vscode.EventEmitter<void>());
  /** The tab's page never spoke (see pageSilenceWatch.ts): only opening the tab afresh can help. */
  readonly onDidStaySilent = this._onDidStaySilent.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    /** The tab's session, which every page of it records as its state at once (see loadWatchdog.ts). */
    private readonly ref: ChatRefState,
    private readonly onMessage: (message: FromWebview) => void,
  ) {
    super();
    const webview = panel.webview;
    webview.options = chatWebviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'multichat.svg');
    this.silence = this._register(new PageSilenceWatch(panel, () => this.staySilent()));
    this._register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible && !panel.options.retainContextWhenHidden) {
          this.ready = false;
        }
      }),
    );
    this.render();
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
    // `visible` may still be true for a tab that another tab, opened just after it, is about to cover.
    if (!this.ready || !this.panel.visible) {
      this.panel.reveal(undefined, true);
    }
    return new Promise<WebviewSnapshot>((resolve, reject) => {
      const requestId = this.nextRequestId++;
      const timer = setTimeout(() => {
        this.snapshotWaiters.delete(requestId);
        reject(new Error(this.ready ? 'the chat webview did not answer' : 'the chat webview did not load'));
      }, SNAPSHOT_TIMEOUT_MS);
      this.snapshotWaiters.set(requestId, (snapshot) => {
        clearTimeout(timer);
        resolve(snapshot);
      });
      void this.whenReady().then(() => this.post({ type: 'snapshotRequest', requestId }));
    });
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** A fresh page: a new nonce makes the HTML differ, so VS Code reloads it even when nothing else changed. */
  private render(): void {
    const webview = this.panel.webview;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'chat', file)).toString();
    this.ready = false;
    this.loadAttempt += 1;
    this.renderedAt = Date.now();
    this.silence.expectWord();
    webview.html = buildChatHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: media('chat.js'),
      styleUri: media('chat.css'),
      title: this.panel.title,
      ref: this.ref,
      attempt: this.loadAttempt,
      lastAttempt: this.loadAttempt >= MAX_LOAD_ATTEMPTS,
      loadRetryingText: vscode.l10n.t('This chat tab did not load its files. Loading it again…'),
      loadFailedText: vscode.l10n.t(
        'This chat tab could not load its files after {0} tries. Close it and open the session again; "Multichat: Show Log" has the details.',
        MAX_LOAD_ATTEMPTS,
      ),
      retryLabel: vscode.l10n.t('Retry'),
    });
  }

  private reloadAfterFailedLoad(missing: string, attempt: number): void {
    // A report from a page already replaced says nothing about the current one.
    if (attempt !== this.loadAttempt) {
      return;
    }
    const file = missing === 'style' ? 'chat.css' : 'chat.js';
    if (Date.now() - this.renderedAt > NEW_FAILURE_AFTER_MS) {
      this.loadAttempt = 0;
    } else if (this.loadAttempt >= MAX_LOAD_ATTEMPTS) {
      this.logger.error('chat', `the chat tab "${this.panel.title}" could not load ${file} in ${attempt} tries; it says so in the tab`);
      return;
    }
    this.logger.warn('chat', `the chat tab "${this.panel.title}" did not load ${file} (try ${attempt}); loading a fresh page`);
    this.render();
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      return;
    }
    this.silence.heard();
    if (message.type === 'loadFailed') {
      this.reloadAfterFailedLoad(message.missing, message.attempt);
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

  private staySilent(): void {
    this.logger.warn('chat', `the chat tab "${this.panel.title}" did not load: its page has said nothing in ${PAGE_SILENCE_MS / 1000} s`);
    this._onDidStaySilent.fire();
  }

  override dispose(): void {
    this.ready = false;
    super.dispose();
  }
}
