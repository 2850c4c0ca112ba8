import { randomBytes } from 'node:crypto';
import { ChatRefState } from '../../webview/shared/protocol';
import { LOAD_MARKERS, loadWatchdogScript } from './loadWatchdog';

// The chat tab's HTML shell. Pure (no vscode import) so the Content-Security-Policy can be
// unit-tested: chat content is untrusted, so only our nonce'd script runs, styles and fonts come
// from the extension's media folder, and images may come from the web.

export interface ChatHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** The tab's session, which the page keeps as its state from its first moment. */
  ref: ChatRefState;
  /** Which load of this page this is (1 for the first), and whether no retry follows it. */
  attempt: number;
  lastAttempt: boolean;
  /** What the page says when its files did not load: while a fresh page is coming, and when none will. */
  loadRetryingText: string;
  loadFailedText: string;
  /** The label of the notice's Retry button. */
  retryLabel: string;
}

export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function buildCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    // No remote images: an image in untrusted chat text must not report to its server when the tab opens.
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function buildChatHtml(options: ChatHtmlOptions): string {
  const csp = escapeHtml(buildCsp(options.cspSource, options.nonce));
  const nonce = escapeHtml(options.nonce);
  const m = LOAD_MARKERS;
  return `<!DOCTYPE html>
<html lang="en" ${m.attempt}="${options.attempt}" ${m.lastAttempt}="${options.lastAttempt}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<script nonce="${nonce}">${loadWatchdogScript(options.ref)}</script>
<link id="${m.style}" rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<p id="${m.retrying}" role="alert" hidden>${escapeHtml(options.loadRetryingText)}</p>
<p id="${m.failed}" role="alert" hidden>${escapeHtml(options.loadFailedText)}</p>
<div id="notice" class="notice" role="status" hidden></div>
<main id="messages" class="messages" aria-live="polite"></main>
<form id="composer" class="composer">
<textarea id="input" rows="3" placeholder="Ask a question (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
<div class="composer-bar">
<select id="model" aria-label="Language model"></select>
<span class="spacer"></span>
<button type="button" id="retry" class="secondary" hidden>${escapeHtml(options.retryLabel)}</button>
<button type="button" id="stop" class="secondary" hidden>Stop</button>
<button type="submit" id="send">Send</button>
</div>
</form>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>`;
}
