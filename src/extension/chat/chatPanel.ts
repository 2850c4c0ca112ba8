import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { Message } from '../../core/model';
import { ChatMessageView, ChatViewModel, FromWebview, Notice, WebviewSnapshot } from '../../webview/shared/protocol';
import { isSafeLink } from '../../webview/shared/links';
import { AccessWatchWhileVisible, StoreAccessMonitor } from '../health/storeAccessMonitor';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';
import { errorSentence } from '../plainText';
import { SessionRef } from '../sessionRef';
import { WorkspaceStores } from '../workspaceStores';
import { ChatDrafts } from './chatDrafts';
import { ChatModelHandle, pickDefaultModel } from './modelHandle';
import { LanguageModels, describeModelError } from './languageModels';
import { ReplyOptions, TurnOutcome, hasUnansweredMessage, noticeForOutcome, retryChatTurn, runChatTurn } from './chatTurn';
import { ChatWebview } from './chatWebview';
import { toMessageViews } from './conversation';
import { SessionLoad, SessionWatcher } from './sessionWatcher';

export interface ChatPanelDeps {
  extensionUri: vscode.Uri;
  stores: WorkspaceStores;
  models: LanguageModels;
  drafts: ChatDrafts;
  access: StoreAccessMonitor;
  logger: Logger;
}

const DELETED_NOTICE: Notice = {
  kind: 'warning',
  text: 'This session was deleted (in another window or by the multichat CLI). Your unsent draft is still here.',
};

function readOnlyNotice(reason: string): Notice {
  return {
    kind: 'warning',
    text: `The session store is read-only (${reason}): you can read this session but not add to it. Sending works again once the store can be written.`,
  };
}

/**
 * One chat tab: shows its session's messages, sends the user's messages to a language model and
 * streams the replies in, and keeps its title, models and messages in step with the store. While
 * the store is read-only the tab says so and takes no messages.
 */
export class ChatPanel extends DisposableObject {
  private readonly webview: ChatWebview;
  private readonly watcher: SessionWatcher;
  private messages: Message[] = [];
  private live: ChatMessageView | undefined;
  private deleted = false;
  private notice: Notice | undefined;
  /** The notice of a send the store refused; it goes once the store's access changes. */
  private failedSendNotice: Notice | undefined;
  private readOnly: string | undefined;
  private models: ChatModelHandle[] = [];
  private pickedModelId: string | undefined;
  private turn: vscode.CancellationTokenSource | undefined;
  private pendingReveal: string | undefined;
  /** The user opened this tab to type in it: its first page may take the focus (if the tab still has it). */
  private focusOnLoad: boolean;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly ref: SessionRef,
    private readonly deps: ChatPanelDeps,
    { openedByUser }: { openedByUser: boolean },
  ) {
    super();
    this.pendingReveal = ref.messageId;
    this.focusOnLoad = openedByUser;
    const stateRef = { folder: ref.folder, sessionId: ref.sessionId };
    this.webview = this._register(new ChatWebview(panel, deps.extensionUri, deps.logger, stateRef, (message) => this.handle(message)));
    this.watcher = this._register(new SessionWatcher(ref, deps.stores, (load) => this.applyLoad(load)));
    // A remount sends no event: while the tab is visible its store's access is re-checked every few seconds.
    const accessWatch = this._register(new AccessWatchWhileVisible(deps.access, () => panel.visible));
    this._register(deps.models.onDidChange(() => void this.refreshModels()));
    this._register(deps.access.onDidChange(() => this.applyAccess()));
    this._register(panel.onDidChangeViewState(() => accessWatch.update()));
    this.readOnly = deps.access.readOnlyReason(ref.folder);
    void this.watcher.start();
    void this.refreshModels();
  }

  /** The tab's page never loaded: the tab must be opened afresh (chatPanelRegistry.ts does). */
  get onDidStaySilent(): vscode.Event<void> {
    return this.webview.onDidStaySilent;
  }

  get busy(): boolean {
    return this.turn !== undefined;
  }

  reveal(messageId?: string): void {
    this.panel.reveal();
    if (messageId) {
      this.pendingReveal = messageId;
      this.flushReveal();
    }
  }

  /** Stores the message, then streams the model's reply in; resolves when the turn is over. */
  async send(text: string): Promise<void> {
    const content = text.replace(/\s+$/, '');
    if (content.trim() === '') {
      return;
    }
    if (!this.canStartTurn()) {
      // The webview already cleared its input; give the text back rather than drop it.
      this.webview.post({ type: 'restoreDraft', text });
      return;
    }
    let saved = false;
    await this.runTurn(
      (reply) =>
        runChatTurn({
          ...reply,
          text: content,
          onUserMessageSaved: () => {
            saved = true;
            void this.deps.drafts.set(this.ref, '');
            void this.watcher.loadNow();
          },
        }),
      (error) => this.failSend(error, saved ? undefined : text),
    );
  }

  /** Asks for the reply to the saved user message that got none (the notice's Retry); stores nothing new. */
  async retry(): Promise<void> {
    if (!this.canStartTurn() || !hasUnansweredMessage(this.messages)) {
      return;
    }
    await this.runTurn(
      (reply) => retryChatTurn(reply),
      (error) => this.failSend(error, undefined),
    );
  }

  private canStartTurn(): boolean {
    return this.turn === undefined && !this.deleted && this.readOnly === undefined;
  }

  private async runTurn(start: (reply: ReplyOptions) => Promise<TurnOutcome>, fail: (error: unknown) => Promise<void>): Promise<void> {
    const cancellation = new vscode.CancellationTokenSource();
    this.turn = cancellation;
    this.watcher.busy = true;
    this.notice = undefined;
    this.postView();
    try {
      await this.refreshModels();
      const outcome = await start({
        store: await this.watcher.store(),
        sessionId: this.ref.sessionId,
        model: this.selectedModel(),
        signal: cancellation.token,
        onProgress: (message) => this.showLive(message),
        onPersistError: (error) => this.deps.logger.error('chat', 'could not save part of a reply', error),
      });
      this.reportOutcome(outcome);
    } catch (error) {
      await fail(error);
    } finally {
      cancellation.dispose();
      this.turn = undefined;
      this.watcher.busy = false;
      this.live = undefined;
      await this.watcher.loadNow();
    }
  }

  private reportOutcome(outcome: TurnOutcome): void {
    this.notice = noticeForOutcome(outcome, describeModelError);
    if (outcome.kind === 'failed') {
      this.deps.logger.error('chat', 'the language model failed', outcome.error);
    } else if (outcome.kind === 'unsaved') {
      this.deps.logger.error('chat', 'could not save the reply', outcome.error);
      void this.deps.access.noteWriteFailure(outcome.error);
    }
  }

  stop(): void {
    this.turn?.cancel();
  }

  snapshot(): Promise<WebviewSnapshot> {
    return this.webview.snapshot();
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.webview.post({ type: 'init', ref: this.ref, draft: this.deps.drafts.get(this.ref), view: this.view(), focusInput: this.focusOnLoad });
        this.focusOnLoad = false;
        this.flushReveal();
        break;
      case 'retry':
        void this.retry();
        break;
      case 'send':
        void this.send(message.text);
        break;
      case 'stop':
        this.stop();
        break;
      case 'draft':
        void this.deps.drafts.set(this.ref, message.text);
        break;
      case 'selectModel':
        this.pickedModelId = message.modelId;
        break;
      case 'openLink':
        void this.openLink(message.href);
        break;
      case 'copy':
        void vscode.env.clipboard.writeText(message.text);
        break;
    }
  }

  private applyLoad(load: SessionLoad): void {
    if ('error' in load) {
      this.notice = { kind: 'error', text: `Could not load this session: ${describeError(load.error)}` };
      this.deps.logger.error('chat', `could not load session ${this.ref.sessionId}`, load.error);
    } else if (load.session) {
      this.messages = load.session.messages;
      this.panel.title = load.session.title;
      this.clearDeletedNotice();
    } else {
      this.deleted = true;
      this.notice = DELETED_NOTICE;
    }
    this.postView();
  }

  private clearDeletedNotice(): void {
    this.deleted = false;
    if (this.notice === DELETED_NOTICE) {
      this.notice = undefined;
    }
  }

  private async refreshModels(): Promise<void> {
    try {
      this.models = await this.deps.models.list();
    } catch (error) {
      this.models = [];
      this.deps.logger.error('chat', 'could not list language models', error);
    }
    this.postView();
  }

  private selectedModel(): ChatModelHandle | undefined {
    const picked = this.models.find((model) => model.id === this.pickedModelId);
    return picked ?? pickDefaultModel(this.models, this.deps.models.preferred());
  }

  private showLive(message: ChatMessageView): void {
    this.live = message;
    this.webview.post({ type: 'message', message });
  }

  /** Says why once, in the tab; text that was not saved goes back into the input box. */
  private async failSend(error: unknown, unsavedText: string | undefined): Promise<void> {
    this.deps.logger.error('chat', 'could not send a message', error);
    if (unsavedText !== undefined) {
      void this.deps.drafts.set(this.ref, unsavedText);
      this.webview.post({ type: 'restoreDraft', text: unsavedText });
    }
    // A refusal may mean the store just became read-only: the tab then blocks sending too.
    await this.deps.access.noteWriteFailure(error);
    const text =
      unsavedText === undefined
        ? `Could not send the message: ${errorSentence(error)}`
        : `Could not save your message: ${errorSentence(error)} Your text is back in the input box.`;
    this.notice = { kind: 'error', text };
    this.failedSendNotice = this.notice;
  }

  private applyAccess(): void {
    const readOnly = this.deps.access.readOnlyReason(this.ref.folder);
    if (readOnly === this.readOnly) {
      return;
    }
    this.readOnly = readOnly;
    if (this.notice !== undefined && this.notice === this.failedSendNotice) {
      this.notice = undefined;
    }
    this.postView();
  }

  private async openLink(href: string): Promise<void> {
    if (!isSafeLink(href)) {
      this.deps.logger.warn('chat', `refused to open a link that is not http, https or mailto: ${href.slice(0, 200)}`);
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(href, true));
  }

  private view(): ChatViewModel {
    return {
      title: this.panel.title,
      messages: toMessageViews(this.messages, this.live),
      models: this.models.map((model) => ({ id: model.id, label: model.label })),
      selectedModel: this.selectedModel()?.id ?? '',
      busy: this.busy,
      deleted: this.deleted,
      readOnly: this.readOnly,
      notice: this.shownNotice(),
    };
  }

  private shownNotice(): Notice | undefined {
    const notice = this.notice ?? (this.readOnly === undefined ? undefined : readOnlyNotice(this.readOnly));
    // Retry only while there is a message to answer and a turn could start (not mid-turn, not read-only).
    if (notice?.retry && !(this.canStartTurn() && hasUnansweredMessage(this.messages))) {
      return { kind: notice.kind, text: notice.text };
    }
    return notice;
  }

  private postView(): void {
    // Model lists and store loads finish asynchronously, possibly after the tab was closed.
    if (this.isDisposed) {
      return;
    }
    this.webview.post({ type: 'view', view: this.view() });
  }

  private flushReveal(): void {
    // The webview keeps the request until that message is rendered.
    if (this.pendingReveal && this.webview.isReady) {
      this.webview.post({ type: 'reveal', messageId: this.pendingReveal });
      this.pendingReveal = undefined;
    }
  }

  override dispose(): void {
    this.turn?.cancel();
    super.dispose();
  }
}
