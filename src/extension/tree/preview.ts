import { Message } from '../../core/model';
import { PreviewBlock, cutAtWord, plainText, previewBlocks } from './plainPreview';

// The preview of a session's last messages shown in the tree tooltip. Chat content is untrusted:
// this only shortens it; the caller must still render it as escaped text.

export interface PreviewLine {
  role: string;
  /** The message as one line of plain text. */
  text: string;
  /** The message as plain paragraphs and code blocks, for a tooltip that can show code as code. */
  blocks: PreviewBlock[];
}

const ROLE_NAMES: Record<Message['role'], string> = { user: 'You', assistant: 'Assistant', system: 'System' };
const CODE_LINES = 6;

export function previewMessages(messages: readonly Message[], count = 3, maxChars = 240): PreviewLine[] {
  return messages.slice(-count).map((message) => ({
    role: message.model && message.role === 'assistant' ? `Assistant (${message.model})` : ROLE_NAMES[message.role],
    text: cutAtWord(plainText(message.content), maxChars) || '(empty)',
    blocks: previewBlocks(message.content, { maxChars, maxCodeLines: CODE_LINES }),
  }));
}

/** Collapses whitespace and cuts at a word boundary near `maxChars`. */
export const excerpt = cutAtWord;
