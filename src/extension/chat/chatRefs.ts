import { ChatWebviewState } from '../../webview/shared/protocol';
import { SessionRef } from '../sessionRef';

/** Identifies chat tabs: one tab per session, keyed by folder and session id. */
export function chatKey(ref: Pick<SessionRef, 'folder' | 'sessionId'>): string {
  return `${ref.folder}\n${ref.sessionId}`;
}

/** Commands receive arguments from anywhere (tree items, other extensions, the palette). */
export function isSessionRef(value: unknown): value is SessionRef {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const ref = value as Record<string, unknown>;
  const optionalString = ref.messageId === undefined || typeof ref.messageId === 'string';
  return typeof ref.folder === 'string' && typeof ref.sessionId === 'string' && optionalString;
}

/** The state a restored tab comes back with; undefined when it is missing or not ours. */
export function parseChatState(state: unknown): ChatWebviewState | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const { ref, draft } = state as Record<string, unknown>;
  if (!isSessionRef(ref)) {
    return undefined;
  }
  return { ref: { folder: ref.folder, sessionId: ref.sessionId }, draft: typeof draft === 'string' ? draft : '' };
}
