// Renders a session as Markdown for people: a heading, then one section per message. Headings inside a
// message are demoted below the message's own section heading, and times read as "2026-11-28 14:03 UTC"
// (always UTC, so the same session renders the same text on every machine).
import { Message, Session } from '../core/model';
import { demoteHeadings } from './markdownHeadings';

const ROLE_LABELS: Record<Message['role'], string> = { user: 'User', assistant: 'Assistant', system: 'System' };
/** Messages are `##` sections, so their own headings start at `###`. */
const MESSAGE_HEADING_LEVEL = 3;

export function sessionToMarkdown(session: Session): string {
  const tags = session.tags.length > 0 ? ` · tags: ${session.tags.map((tag) => `\`${tag}\``).join(', ')}` : '';
  const dates = `created ${readableTime(session.createdAt)} · updated ${readableTime(session.updatedAt)}`;
  const header = [`# ${session.title}`, '', `*Session \`${session.id}\` · ${dates}${tags}${session.pinned ? ' · pinned' : ''}*`];
  const body = session.messages.flatMap((message) => [
    '',
    `## ${ROLE_LABELS[message.role]}${describeMessage(message)}`,
    '',
    demoteHeadings(message.content, MESSAGE_HEADING_LEVEL),
  ]);
  return [...header, ...body, ''].join('\n');
}

/** "2026-11-28T14:03:27.120Z" → "2026-11-28 14:03 UTC"; anything unparsable is printed as it is. */
export function readableTime(timestamp: string): string {
  const time = new Date(timestamp);
  if (Number.isNaN(time.getTime())) {
    return timestamp;
  }
  const iso = time.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function describeMessage(message: Message): string {
  const details = [readableTime(message.createdAt), message.model, message.incomplete ? 'incomplete' : undefined].filter(Boolean);
  return ` <sub>${details.join(' · ')}</sub>`;
}
