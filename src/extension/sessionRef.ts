/**
 * Names one session across the workspace: which folder's store, and which session in it.
 * Commands, the tree and chat tabs pass these around (and chat tabs persist them for restore).
 */
export interface SessionRef {
  /** The workspace folder's URI, as a string. */
  folder: string;
  sessionId: string;
  /** A message to scroll to, e.g. a search hit. */
  messageId?: string;
}

/** Commands receive arguments from anywhere (tree items, other extensions, the palette): check before trusting. */
export function isSessionRef(value: unknown): value is SessionRef {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const ref = value as Record<string, unknown>;
  const optionalString = ref.messageId === undefined || typeof ref.messageId === 'string';
  return typeof ref.folder === 'string' && typeof ref.sessionId === 'string' && optionalString;
}

/** One key per session across the workspace (one chat tab each). */
export function sessionKey(ref: Pick<SessionRef, 'folder' | 'sessionId'>): string {
  return `${ref.folder}\n${ref.sessionId}`;
}
