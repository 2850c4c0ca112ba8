// Moves the headings inside a message's Markdown down a level or more, so a message's "# Plan" does not
// outrank the export's own "## Assistant" section heading. Headings are found with markdown-it's block
// parser, so a `#` inside a code fence, an indented code block or a paragraph is never touched.
import MarkdownIt, { type Token } from 'markdown-it';

const MAX_LEVEL = 6;
/** Cheap pre-check: most messages have nothing that could be a heading and skip the parse. */
const MAY_HAVE_HEADING = /^[ \t>*+\-.)0-9]*(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)/m;

const blockParser = new MarkdownIt('commonmark');
// Only block structure matters here; inline parsing (emphasis, links) would only cost time.
blockParser.disable(['inline']);

/**
 * Demotes every heading in `markdown` so the highest one is at `topLevel` (capped at h6), keeping their
 * relative levels. Setext headings ("Title" over "===") become ATX headings, the only form with levels 3–6.
 */
export function demoteHeadings(markdown: string, topLevel: number): string {
  if (!MAY_HAVE_HEADING.test(markdown)) {
    return markdown;
  }
  const tokens = blockParser.parse(markdown, {});
  const headings = tokens.flatMap((token, index) => (token.type === 'heading_open' && token.map ? [{ token, text: tokens[index + 1]?.content ?? '' }] : []));
  if (headings.length === 0) {
    return markdown;
  }
  const shift = Math.max(0, topLevel - Math.min(...headings.map(({ token }) => levelOf(token))));
  if (shift === 0) {
    return markdown;
  }
  const lines = markdown.split('\n');
  // From the last heading up, so a setext heading folded into one line leaves earlier line numbers valid.
  for (const { token, text } of headings.reverse()) {
    const level = Math.min(MAX_LEVEL, levelOf(token) + shift);
    const [start, end] = token.map!;
    lines.splice(start, end - start, rewriteHeading(lines.slice(start, end), token.markup, text, level));
  }
  return lines.join('\n');
}

function levelOf(token: Token): number {
  return Number(token.tag.slice(1));
}

/** The heading's lines as one ATX heading line at `level`, keeping any container prefix ("> ", "- "). */
function rewriteHeading(lines: string[], markup: string, text: string, level: number): string {
  const first = lines[0];
  const hashes = '#'.repeat(level);
  if (markup.startsWith('#')) {
    // Container markers never contain '#', so the first '#' starts the heading's own marker.
    const at = first.indexOf('#');
    return `${first.slice(0, at)}${hashes}${first.slice(at + markup.length)}`;
  }
  const firstText = text.split('\n')[0];
  const at = Math.max(0, first.indexOf(firstText));
  return `${first.slice(0, at)}${hashes} ${text.replace(/\s*\n\s*/g, ' ')}`;
}
