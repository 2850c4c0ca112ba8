import type { QueryTerm } from '../../core/searchQuery';
import { firstMatchAt } from '../../core/textSearch/snippet';
// Chat messages are Markdown; previews (tree tooltips, search results) show them as plain text:
// the markup stripped, code kept apart as code, and cut at word boundaries with an ellipsis.
// Pure (no vscode): the caller still renders the result as escaped text.

export type PreviewBlock = { kind: 'text'; text: string } | { kind: 'code'; language: string; code: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w#+.-]*)/;
const ELLIPSIS = '…';

/** The message as paragraphs of plain text and code blocks, in order. */
export function markdownBlocks(markdown: string): PreviewBlock[] {
  const blocks: PreviewBlock[] = [];
  let paragraph: string[] = [];
  let code: { fence: string; language: string; lines: string[] } | undefined;
  const endParagraph = (): void => {
    const text = paragraph.map(plainLine).filter(Boolean).join(' ');
    if (text) {
      blocks.push({ kind: 'text', text });
    }
    paragraph = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const fence = FENCE.exec(line);
    if (code) {
      if (fence && fence[1][0] === code.fence[0] && fence[1].length >= code.fence.length && line.trim() === fence[1]) {
        blocks.push({ kind: 'code', language: code.language, code: code.lines.join('\n') });
        code = undefined;
      } else {
        code.lines.push(line);
      }
    } else if (fence) {
      endParagraph();
      code = { fence: fence[1], language: fence[2], lines: [] };
    } else if (line.trim() === '') {
      endParagraph();
    } else {
      paragraph.push(line);
    }
  }
  endParagraph();
  if (code) {
    blocks.push({ kind: 'code', language: code.language, code: code.lines.join('\n') }); // an unclosed fence runs to the end
  }
  return blocks;
}

/** One line's block markup (headings, quotes, bullets, rules, table rows) replaced by plain text. */
function plainLine(line: string): string {
  if (/^\s*([-*_]\s*){3,}$/.test(line) || /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line)) {
    return ''; // a rule, or a table's separator row
  }
  let text = line
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(/^\s*(>\s?)+/, '')
    .replace(/^\s*[-*+]\s+(\[[ xX]\]\s+)?/, '• ');
  const row = /^\s*\|(.*)\|\s*$/.exec(text);
  if (row) {
    text = row[1]
      .split('|')
      .map((cell) => cell.trim())
      .join(' · ');
  }
  return plainInline(text.trim());
}

/** Emphasis, links and images stripped outside code spans; code spans keep their backticks, so they still read as code. */
function plainInline(text: string): string {
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, index) => (index % 2 === 1 ? part : stripInline(part)))
    .join('');
}

function stripInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!~|>])/g, '$1');
}

/** The whole message on one line: code blocks become inline code. For a quick pick's one-line text. */
export function plainText(markdown: string): string {
  return markdownBlocks(markdown)
    .map((block) => (block.kind === 'text' ? block.text : inlineCode(block.code)))
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function inlineCode(code: string): string {
  const flat = code.replace(/\s+/g, ' ').trim();
  return flat ? `\`${flat}\`` : '';
}

/** Whitespace collapsed, cut at a word boundary near `maxChars` with an ellipsis. */
export function cutAtWord(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) {
    return flat;
  }
  const cut = flat.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(' ');
  // One very long "word" (a URL, a hash) is cut where it must be.
  return `${(lastSpace > maxChars * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.]+$/, '')}${ELLIPSIS}`;
}

/**
 * About `maxChars` of the text around the first of the words found (lower case), starting and
 * ending at word boundaries, with an ellipsis where text was left out.
 */
export function snippetAround(text: string, terms: readonly QueryTerm[], maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) {
    return flat;
  }
  const at = Math.max(0, firstMatchAt(flat, terms));
  // A little context before the match, most of the room after it.
  let start = Math.max(0, Math.min(at - Math.floor(maxChars / 4), flat.length - maxChars));
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  const rest = cutAtWord(flat.slice(start), maxChars);
  return `${start > 0 ? ELLIPSIS : ''}${rest}`;
}

export interface BlockBudget {
  /** Characters of text (and code) in all. */
  maxChars: number;
  /** Lines of each code block. */
  maxCodeLines: number;
}

/** The blocks shortened to fit a tooltip: text cut at words, code blocks cut to a few lines. */
export function previewBlocks(markdown: string, budget: BlockBudget): PreviewBlock[] {
  const shortened: PreviewBlock[] = [];
  let left = budget.maxChars;
  for (const block of markdownBlocks(markdown)) {
    if (left <= 0) {
      shortened.push({ kind: 'text', text: ELLIPSIS });
      break;
    }
    const piece = block.kind === 'text' ? { ...block, text: cutAtWord(block.text, left) } : { ...block, code: shortCode(block.code, budget.maxCodeLines, left) };
    shortened.push(piece);
    left -= piece.kind === 'text' ? piece.text.length : piece.code.length;
  }
  return shortened;
}

function shortCode(code: string, maxLines: number, maxChars: number): string {
  const lines = code.split('\n');
  let kept = lines.slice(0, maxLines).join('\n');
  if (kept.length > maxChars) {
    kept = `${kept.slice(0, maxChars)}`;
  }
  return kept.length < code.length ? `${kept.replace(/\s+$/, '')}\n${ELLIPSIS}` : kept;
}
