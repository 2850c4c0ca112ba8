// The messages a chat tab's webview and the extension exchange, and the state the webview keeps
// with `setState` (which the panel serializer gets back on workspace restore). No DOM, no vscode:
// both sides import it.

export type ChatRole = 'user' | 'assistant' | 'system';

/** A message as the tab shows it. */
export interface ChatMessageView {
  id: string;
  role: ChatRole;
  content: string;
  createdAt: string;
  model?: string;
  author?: string;
  /** Persisted as incomplete: the reply was stopped, failed or the window closed mid-reply. */
  incomplete?: boolean;
  /** The reply is arriving right now. */
  streaming?: boolean;
}

export interface ModelOption {
  id: string;
  label: string;
}

export type NoticeKind = 'info' | 'warning' | 'error';

export interface Notice {
  kind: NoticeKind;
  text: string;
  /** The notice offers to run the turn again for the saved user message that got no reply. */
  retry?: boolean;
}

export interface ChatRefState {
  folder: string;
  sessionId: string;
}

/** What the webview persists with `vscode.setState`. */
export interface ChatWebviewState {
  ref: ChatRefState;
  draft: string;
  /** Recorded by the page's inline bootstrap before chat.js ran: it names the session, its draft is not the user's. */
  provisional?: boolean;
}

export interface ChatViewModel {
  title: string;
  messages: ChatMessageView[];
  models: ModelOption[];
  selectedModel: string;
  busy: boolean;
  /** The session no longer exists in its store. */
  deleted: boolean;
  /** Why the session's store cannot be written (a read-only mount or folder); sending is blocked meanwhile. */
  readOnly?: string;
  notice?: Notice;
}

/** Extension → webview. */
export type ToWebview =
  /** `focusInput`: the user opened the tab to type in it (the webview still takes focus only if it has it). */
  | { type: 'init'; ref: ChatRefState; draft: string; view: ChatViewModel; focusInput?: boolean }
  | { type: 'view'; view: ChatViewModel }
  | { type: 'message'; message: ChatMessageView }
  | { type: 'reveal'; messageId: string }
  /** A send failed before the message was stored: the text goes back into the input. */
  | { type: 'restoreDraft'; text: string }
  | { type: 'snapshotRequest'; requestId: number };

/** What the webview reports of its real DOM, for integration tests. */
export interface WebviewSnapshot {
  /** The rendered messages: the newest ones, and older ones only once scrolled to or revealed. */
  messagesHtml: string;
  draft: string;
  notice: string;
  busy: boolean;
  /** The Send button is disabled (busy, deleted session or read-only store). */
  sendDisabled: boolean;
  models: string[];
  selectedModel: string;
  /** The message highlighted by a reveal; empty once the highlight has faded. */
  highlightedMessageId: string;
  /** The rendered messages at least partly in view (older ones are rendered only as the user scrolls up). */
  visibleMessageIds: string[];
  /** The notice's Retry button is showing. */
  retryShown?: boolean;
  /** The message box has the keyboard focus. */
  inputFocused?: boolean;
}

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'draft'; text: string }
  | { type: 'selectModel'; modelId: string }
  | { type: 'openLink'; href: string }
  | { type: 'copy'; text: string }
  /** The notice's Retry button. */
  | { type: 'retry' }
  /** The page's own files (chat.css, chat.js) did not load: it asks for a fresh page. */
  | { type: 'loadFailed'; missing: 'style' | 'script'; attempt: number }
  | { type: 'snapshot'; requestId: number; snapshot: WebviewSnapshot };
