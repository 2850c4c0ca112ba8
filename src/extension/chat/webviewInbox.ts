import { FromWebview, WebviewSnapshot } from '../../webview/shared/protocol';

/**
 * Checks what a chat webview posts before the extension acts on it: the webview renders
 * untrusted content, so its messages are treated as input, not trusted calls.
 */
type Check = (message: Record<string, unknown>) => boolean;

const isString = (value: unknown): value is string => typeof value === 'string';
const MAX_TEXT = 10 * 1024 * 1024;

const CHECKS: Record<FromWebview['type'], Check> = {
  ready: () => true,
  stop: () => true,
  retry: () => true,
  loadFailed: (message) => (message.missing === 'style' || message.missing === 'script') && Number.isInteger(message.attempt),
  send: (message) => isString(message.text) && message.text.length <= MAX_TEXT,
  draft: (message) => isString(message.text) && message.text.length <= MAX_TEXT,
  copy: (message) => isString(message.text),
  selectModel: (message) => isString(message.modelId),
  openLink: (message) => isString(message.href),
  snapshot: (message) => typeof message.requestId === 'number' && isSnapshot(message.snapshot),
};

export function parseWebviewMessage(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const message = value as Record<string, unknown>;
  const type = message.type;
  if (!isString(type) || !Object.hasOwn(CHECKS, type)) {
    return undefined;
  }
  return CHECKS[type as FromWebview['type']](message) ? (message as unknown as FromWebview) : undefined;
}

function isSnapshot(value: unknown): value is WebviewSnapshot {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const snapshot = value as Record<string, unknown>;
  return isString(snapshot.messagesHtml) && isString(snapshot.draft) && isString(snapshot.notice) && typeof snapshot.sendDisabled === 'boolean';
}
