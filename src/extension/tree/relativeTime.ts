// Short, human descriptions of when something happened ("3h ago") and how much there is
// ("12 messages"), for tree items and quick picks. Pure: `now` is passed in.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

const UNITS: readonly { size: number; limit: number; suffix: string }[] = [
  { size: MINUTE, limit: HOUR, suffix: 'm' },
  { size: HOUR, limit: DAY, suffix: 'h' },
  { size: DAY, limit: WEEK, suffix: 'd' },
  { size: WEEK, limit: 5 * WEEK, suffix: 'w' },
  { size: MONTH, limit: YEAR, suffix: 'mo' },
];

/** "just now", "5m ago", "3h ago", "2d ago", "3w ago", "4mo ago", "2y ago"; '' for an invalid time. */
export function relativeTime(iso: string, now: Date): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return '';
  }
  const elapsed = now.getTime() - time;
  // Clock skew between machines can put a timestamp slightly in the future.
  if (elapsed < 45 * SECOND) {
    return 'just now';
  }
  for (const unit of UNITS) {
    if (elapsed < unit.limit) {
      return `${Math.max(1, Math.floor(elapsed / unit.size))}${unit.suffix} ago`;
    }
  }
  return `${Math.floor(elapsed / YEAR)}y ago`;
}

/** "1 message", "12 messages", "1,234 messages". */
export function countOf(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

export interface DescribedSession {
  messageCount: number;
  lastMessageAt: string;
}

/**
 * The tree item description: "12 messages · 3h ago". Multi-root workspaces lead with the folder
 * name: it tells same-titled sessions apart, so it should survive a narrow sidebar's truncation.
 * The editor passes `messages` to put the count in the display language.
 */
export function describeSession(
  summary: DescribedSession,
  now: Date,
  folderName?: string,
  messages: (count: number) => string = (count) => countOf(count, 'message'),
): string {
  const parts = [folderName, messages(summary.messageCount), relativeTime(summary.lastMessageAt, now)];
  return parts.filter((part): part is string => Boolean(part)).join(' · ');
}
