// A session title made from a chat message: its first line of text, Markdown stripped, cut at a
// word boundary. Untitled sessions take their title from their first user message this way.

/** What an untitled session is called until its first user message names it. */
export const UNTITLED_TITLE = 'New session';

const MAX_TITLE_LENGTH = 60;
/** A cut this far into the limit or later keeps whole words; an earlier one would leave too little. */
const MIN_WORD_CUT = 30;

/** The title `content` gives, or undefined when it holds no text (say, only a code fence marker). */
export function titleFromMessage(content: string): string | undefined {
  for (const line of content.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      continue;
    }
    const text = plainLine(line);
    if (text.length > 0) {
      return cutAtWord(text, MAX_TITLE_LENGTH);
    }
  }
  return undefined;
}

/** One line of Markdown as plain text: block markers, emphasis, links, images and tags removed. */
function plainLine(line: string): string {
  return line
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*(?:>\s*)+/, '')
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '')
    .replace(/(\*\*|__|~~|`+)/g, '')
    .replace(/(^|[\s(])[*_]+|[*_]+(?=$|[\s).,!?:;])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function cutAtWord(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const space = text.lastIndexOf(' ', max - 1);
  const cut = space >= MIN_WORD_CUT ? text.slice(0, space) : text.slice(0, max - 1);
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}
