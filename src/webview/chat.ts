import { createMarkdownRenderer } from './shared/chatMarkdown';
import { ChatRefState, ChatViewModel, ToWebview, WebviewSnapshot } from './shared/protocol';
import { Composer } from './ui/composer';
import { focusInputOnLoad, focusInputWhenTabFocused } from './ui/inputFocus';
import { handleMessageClicks } from './ui/messageClicks';
import { MessageList } from './ui/messageList';
import { NoticeBar } from './ui/noticeBar';
import { getVsCodeApi, markScriptStarted } from './ui/vscodeApi';

// The chat tab's script. It renders what the extension sends and reports user gestures back;
// it never opens links itself (the extension validates and opens them through VS Code).

markScriptStarted();
const vscode = getVsCodeApi();
const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const messagesElement = byId<HTMLElement>('messages');
const notice = new NoticeBar(byId('notice'), byId('retry'), () => vscode.postMessage({ type: 'retry' }));
const messages = new MessageList(messagesElement, createMarkdownRenderer());
let ref: ChatRefState | undefined = vscode.getState()?.ref;
let busy = false;

const composer = new Composer(
  { form: byId('composer'), input: byId('input'), send: byId('send'), stop: byId('stop'), model: byId('model') },
  {
    send: (text) => vscode.postMessage({ type: 'send', text }),
    stop: () => vscode.postMessage({ type: 'stop' }),
    draft: (text, settled) => {
      saveState();
      if (settled) {
        vscode.postMessage({ type: 'draft', text });
      }
    },
    selectModel: (modelId) => vscode.postMessage({ type: 'selectModel', modelId }),
  },
);

function saveState(): void {
  if (ref) {
    vscode.setState({ ref, draft: composer.draft });
  }
}

function showView(view: ChatViewModel): void {
  document.title = view.title;
  busy = view.busy;
  messages.show(view.messages);
  composer.setBusy(view.busy);
  composer.setBlocked(view.deleted || view.readOnly !== undefined);
  composer.setModels(view.models, view.selectedModel);
  notice.show(view.notice);
}

function init(initRef: ChatRefState, draft: string, view: ChatViewModel, focusInput: boolean): void {
  const saved = vscode.getState();
  const sameSession = saved?.ref.folder === initRef.folder && saved.ref.sessionId === initRef.sessionId && saved.provisional !== true;
  ref = initRef;
  // The webview's own state is the freshest draft; the extension's copy covers a lost (or provisional) state.
  composer.draft = sameSession ? saved.draft : draft;
  saveState();
  showView(view);
  focusInputOnLoad(composer, focusInput);
}

function snapshot(): WebviewSnapshot {
  const model = byId<HTMLSelectElement>('model');
  return {
    messagesHtml: messagesElement.innerHTML,
    draft: composer.draft,
    notice: notice.text,
    busy,
    sendDisabled: byId<HTMLButtonElement>('send').disabled,
    models: [...model.options].map((option) => option.value).filter((value) => value !== ''),
    selectedModel: model.value,
    highlightedMessageId: messages.highlightedId(),
    visibleMessageIds: messages.visibleIds(),
    retryShown: notice.retryShown,
    inputFocused: document.activeElement === byId('input'),
  };
}

function restoreDraft(text: string): void {
  if (composer.draft === '') {
    composer.draft = text;
    saveState();
  }
}

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'init':
      init(message.ref, message.draft, message.view, message.focusInput === true);
      break;
    case 'view':
      showView(message.view);
      break;
    case 'message':
      messages.update(message.message);
      break;
    case 'reveal':
      messages.reveal(message.messageId);
      break;
    case 'restoreDraft':
      restoreDraft(message.text);
      break;
    case 'snapshotRequest':
      vscode.postMessage({ type: 'snapshot', requestId: message.requestId, snapshot: snapshot() });
      break;
  }
}

focusInputWhenTabFocused(composer);
handleMessageClicks(messagesElement, (message) => vscode.postMessage(message));
window.addEventListener('message', (event: MessageEvent<ToWebview>) => receive(event.data));
vscode.postMessage({ type: 'ready' });
