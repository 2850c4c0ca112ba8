import { Message } from '../model';

// What the recall tool and @multichat hand a model: plain Markdown that names each session by title
// and id, kept under a character budget (about 4 characters a token), with every cut said out loud
// so a model never takes a truncated message for a whole one. Pure.

export const CHARS_PER_TOKEN = 4;
export const DEFAULT_TOKEN_BUDGET = 4_000;
/** A search shows a glimpse of each message; reading a session shows far more of each. */
export const SEARCH_MESSAGE_CHARS = 600;
export const READ_MESSAGE_CHARS = 4_000;
/** Kept free for the closing note, so the note itself never breaks the budget. */
const NOTE_RESERVE = 200;
/** Below this much room a message is not worth starting. */
const MIN_MESSAGE_ROOM = 80;

export interface RecallMessage {
  /** 1-based position in its session. */
  index: number;
  role: Message['role'];
  createdAt: string;
  content: string;
}

export interface RecallSession {
  id: string;
  title: string;
  folderName: string;
  tags: readonly string[];
  source: string;
  lastMessageAt: string;
  messageCount: number;
  /** Followed from a teammate through Redis. */
  followed: boolean;
  messages: RecallMessage[];
}

export function budgetChars(tokenBudget: number | undefined): number {
  const tokens = tokenBudget !== undefined && Number.isFinite(tokenBudget) && tokenBudget > 0 ? tokenBudget : DEFAULT_TOKEN_BUDGET;
  return Math.max(NOTE_RESERVE * 2, Math.floor(tokens * CHARS_PER_TOKEN));
}

/** The text cut to at most `max` characters, the cut said as `[… 1,234 more characters]`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const marker = (left: number): string => ` [… ${left.toLocaleString('en-US')} more characters]`;
  const keep = Math.max(0, max - marker(text.length).length);
  return text.slice(0, keep).trimEnd() + marker(text.length - keep);
}

/** Lines added while they fit; the closing note always fits (NOTE_RESERVE). */
class BudgetText {
  private readonly lines: string[] = [];
  private used = 0;

  constructor(private readonly limit: number) {}

  get room(): number {
    return this.limit - NOTE_RESERVE - this.used;
  }

  add(line: string): boolean {
    if (line.length + 1 > this.room) {
      return false;
    }
    this.lines.push(line);
    this.used += line.length + 1;
    return true;
  }

  finish(note: string): string {
    return [...this.lines, note].join('\n').slice(0, this.limit);
  }
}

function sessionHeading(session: RecallSession): string {
  const details = [`folder ${session.folderName}`, `${session.messageCount} messages`, `last message ${session.lastMessageAt.slice(0, 10)}`];
  if (session.tags.length > 0) {
    details.push(`tags ${session.tags.join(', ')}`);
  }
  if (session.source) {
    details.push(`source ${session.source}`);
  }
  if (session.followed) {
    details.push('shared by a teammate');
  }
  return `## "${session.title}" (session id \`${session.id}\`; ${details.join('; ')})`;
}

/** Adds one message, cut to what is left; false when not even a short one fits. */
function addMessage(text: BudgetText, message: RecallMessage, cap: number, flatten: boolean): boolean {
  const prefix = `- message ${message.index} (${message.role}, ${message.createdAt.slice(0, 16).replace('T', ' ')}): `;
  const room = Math.min(cap, text.room - prefix.length - 1);
  if (room < MIN_MESSAGE_ROOM) {
    return false;
  }
  const content = flatten ? message.content.replace(/\s+/g, ' ').trim() : message.content.replace(/\n/g, '\n  ');
  return text.add(prefix + truncate(content, room));
}

/** Search results: each session's heading and its matching messages, best session first. */
export function formatSearch(query: string, sessions: readonly RecallSession[], maxChars: number): string {
  if (sessions.length === 0) {
    return `No past session matches "${query}".`;
  }
  const text = new BudgetText(maxChars);
  text.add(`${sessions.length} past session${sessions.length === 1 ? '' : 's'} match "${query}", best first:`);
  let shown = 0;
  let omittedMessages = 0;
  for (const session of sessions) {
    if (!text.add('') || !text.add(sessionHeading(session))) {
      break;
    }
    shown++;
    const fitted = session.messages.findIndex((message) => !addMessage(text, message, SEARCH_MESSAGE_CHARS, true));
    omittedMessages += fitted === -1 ? 0 : session.messages.length - fitted;
  }
  const cut = shown < sessions.length || omittedMessages > 0;
  const budgetNote = cut ? `[Token budget reached: ${sessions.length - shown} more sessions and ${omittedMessages} more matching messages not shown.] ` : '';
  return text.finish(`\n${budgetNote}Read one session with "sessionId" (and "fromMessage"/"toMessage" for a range).`);
}

/** One session, or the range asked for, message by message. */
export function formatSession(session: RecallSession, maxChars: number): string {
  const text = new BudgetText(maxChars);
  text.add(sessionHeading(session));
  if (session.messages.length === 0) {
    return text.finish('(no messages in this range)');
  }
  const first = session.messages[0].index;
  const stoppedAt = session.messages.findIndex((message) => !addMessage(text, message, READ_MESSAGE_CHARS, false));
  if (stoppedAt === -1) {
    return text.finish(`[Messages ${first}–${session.messages[session.messages.length - 1].index} of ${session.messageCount}.]`);
  }
  const next = session.messages[stoppedAt].index;
  return text.finish(`[Token budget reached at message ${next}: read on with "fromMessage": ${next}.]`);
}

/** What the user is asked before teammates' sessions are handed to an agent; undefined when none is. */
export function sharedConfirmation(sessions: readonly Pick<RecallSession, 'id' | 'title' | 'followed'>[]): { title: string; message: string } | undefined {
  const followed = sessions.filter((session) => session.followed);
  if (followed.length === 0) {
    return undefined;
  }
  const names = followed.map((session) => `"${session.title}" (${session.id})`).join(', ');
  return {
    title: 'Share teammates\' sessions with the agent?',
    message: `The answer includes ${followed.length} session${followed.length === 1 ? '' : 's'} shared by teammates through Redis: ${names}. Continue to let the agent read ${followed.length === 1 ? 'it' : 'them'}.`,
  };
}
