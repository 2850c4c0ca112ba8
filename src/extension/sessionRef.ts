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
