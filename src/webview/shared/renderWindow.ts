// Which messages a chat tab renders: the newest first, then older ones in batches as the user scrolls
// up (or a revealed message needs them). Opening a long session then costs a batch, not the session.
// Indexes are into the session's messages, oldest first; `start` is the oldest rendered one.

/** Rendered when a tab opens: enough to fill a tall editor. */
export const FIRST_BATCH = 20;
/** Rendered at each step up. */
export const OLDER_BATCH = 30;
/** Rendered above a revealed message, so it does not sit against the top edge with nothing above. */
export const REVEAL_CONTEXT = 3;

export interface RenderedRange {
  /** The id of the oldest rendered message, if any was rendered. */
  oldestId?: string;
  /** How many messages were rendered. */
  count: number;
}

/**
 * Where rendering starts once the messages change to `ids`: the same oldest message if it is still
 * there (so nothing the user scrolled to disappears), else as many of the newest as before, and never
 * fewer than the first batch.
 */
export function windowStart(ids: readonly string[], previous: RenderedRange): number {
  const newest = Math.max(0, ids.length - FIRST_BATCH);
  const kept = previous.oldestId === undefined ? -1 : ids.indexOf(previous.oldestId);
  if (kept !== -1) {
    return Math.min(kept, newest);
  }
  return Math.max(0, Math.min(newest, ids.length - previous.count));
}

/** The start after rendering one more batch above `start`, reaching down to `until` if that is older. */
export function olderStart(start: number, until = start): number {
  return Math.max(0, Math.min(start - OLDER_BATCH, until - REVEAL_CONTEXT));
}
