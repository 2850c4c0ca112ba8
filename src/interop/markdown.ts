// Renders a session as Markdown for people: a heading, then one section per message.
import { Message, Session } from '../core/model';

const ROLE_LABELS: Record<Message['role'], string> = { user: 'User', assistant: 'Assistant', system: 'System' };

export function sessionToMarkdown(session: Session): string {
  const tags = session.tags.length > 0 ? ` · tags: ${session.tags.map((tag) => `\`${tag}\``).join(', ')}` : '';
  const header = [
    `# ${session.title}`,
    '',
    `*Session \`${session.id}\` · created ${session.createdAt} · updated ${session.updatedAt}${tags}${session.pinned ? ' · pinned' : ''}*`,
  ];
  const body = session.messages.flatMap((message) => ['', `## ${ROLE_LABELS[message.role]}${describeMessage(message)}`, '', message.content]);
  return [...header, ...body, ''].join('\n');
}

function describeMessage(message: Message): string {
  const details = [message.createdAt, message.model, message.incomplete ? 'incomplete' : undefined].filter(Boolean);
  return ` <sub>${details.join(' · ')}</sub>`;
}
