import { ChatWebviewState } from '../../webview/shared/protocol';
import { isSessionRef } from '../sessionRef';

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
