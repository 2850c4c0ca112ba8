import { Message } from '../../core/model';

// The plain-text preview of a session's last messages shown in the tree tooltip. Chat content is
// untrusted: this only shortens it; the caller must still render it as escaped text.

export interface PreviewLine {
  role: string;
  text: string;
}

const ROLE_NAMES: Record<Message['role'], string> = { user: 'You', assistant: 'Assistant', system: 'System' };

export function previewMessages(messages: readonly Message[], count = 3, maxChars = 240): PreviewLine[] {
  return messages.slice(-count).map((message) => ({
    role: message.model && message.role === 'assistant' ? `Assistant (${message.model})` : ROLE_NAMES[message.role],
    text: excerpt(message.content, maxChars) || '(empty)',
  }));
}

/** Collapses whitespace and cuts at a word boundary near `maxChars`. */
export function excerpt(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) {
    return flat;
  }
  const cut = flat.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > maxChars * 0.6 ? cut.slice(0, lastSpace) : cut}…`;
}
