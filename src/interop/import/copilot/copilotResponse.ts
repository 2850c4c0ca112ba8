// A Copilot response, stored as a list of parts, as the markdown a reader needs: the text itself,
// inline references as code spans, and one short line for each tool call or edited file. Parts
// that only drove the live UI (progress, undo stops, confirmations…) are dropped silently; a part
// of a kind this importer does not know, or one it cannot read, is counted, never fatal.
import { SkippedParts, countSkipped } from '../importFormats';
import { fileNameOf, markdownOf, nameOfReference } from './copilotValues';

/** What a part contributes: text within the flow, a block of its own, or nothing (`silent`). */
type Piece = { text: string; block?: boolean } | 'silent' | undefined;
type Part = Record<string, unknown>;

const inline = (text: string | undefined): Piece => (text === undefined ? undefined : { text });
const block = (text: string | undefined): Piece => (text === undefined ? undefined : { text, block: true });

const RENDERERS = new Map<string, (part: Part) => Piece>([
  ['markdownContent', (part) => inline(markdownOf(part.content))],
  ['markdownVuln', (part) => inline(markdownOf(part.content))],
  ['inlineReference', (part) => inline(codeSpan(nameOfReference(part)))],
  ['textEditGroup', (part) => block(editLine(fileNameOf(part.uri)))],
  ['notebookEditGroup', (part) => block(editLine(fileNameOf(part.uri)))],
  ['toolInvocationSerialized', (part) => (part.presentation === 'hidden' ? 'silent' : block(toolLine(part)))],
  ['warning', (part) => block(warningLine(markdownOf(part.content)))],
]);

/** Kinds that carry nothing a reader of the transcript needs. */
const SILENT = new Set([
  'codeblockUri',
  'thinking',
  'progressMessage',
  'progressTask',
  'progressTaskSerialized',
  'undoStop',
  'prepareToolInvocation',
  'confirmation',
  'command',
  'treeData',
  'elicitation',
  'reference',
  'codeCitation',
  'extensions',
  'pullRequest',
  'multiDiffData',
  'mcpServersStarting',
]);

/** The response as markdown, with what was left out tallied in `skipped`. */
export function responseMarkdown(parts: readonly unknown[], skipped: SkippedParts): string {
  let text = '';
  let breakBefore = false;
  for (const part of parts) {
    const piece = pieceOf(part, skipped);
    if (piece === 'silent' || piece === undefined || piece.text === '') {
      continue;
    }
    if ((piece.block || breakBefore) && text !== '') {
      text = text.replace(/\n*$/, '\n\n');
    }
    text += piece.text;
    breakBefore = piece.block === true;
  }
  return text.trim();
}

function pieceOf(part: unknown, skipped: SkippedParts): Piece {
  if (!part || typeof part !== 'object' || Array.isArray(part)) {
    countSkipped(skipped, 'copilot response part (not an object)');
    return undefined;
  }
  const { kind } = part as Part;
  if (kind === undefined) {
    // Version 1 stored markdown strings ({value}) without a kind.
    return countedIfUnread(inline(markdownOf(part)), 'copilot response part (no kind)', skipped);
  }
  const name = typeof kind === 'string' ? kind.slice(0, 60) : String(JSON.stringify(kind)).slice(0, 60);
  if (typeof kind === 'string' && SILENT.has(kind)) {
    return 'silent';
  }
  const render = typeof kind === 'string' ? RENDERERS.get(kind) : undefined;
  if (!render) {
    countSkipped(skipped, `copilot response part ${JSON.stringify(name)}`);
    return undefined;
  }
  return countedIfUnread(render(part as Part), `copilot response part ${JSON.stringify(name)} (unreadable)`, skipped);
}

function countedIfUnread(piece: Piece, kind: string, skipped: SkippedParts): Piece {
  if (piece === undefined) {
    countSkipped(skipped, kind);
  }
  return piece;
}

function codeSpan(name: string | undefined): string | undefined {
  return name === undefined ? undefined : `\`${name.replace(/`/g, '')}\``;
}

function editLine(file: string | undefined): string | undefined {
  return file === undefined ? undefined : `*Edited ${codeSpan(file)}*`;
}

function toolLine(part: Part): string | undefined {
  const said = markdownOf(part.pastTenseMessage) ?? markdownOf(part.invocationMessage);
  const line = said?.trim() || (typeof part.toolId === 'string' ? `Used ${codeSpan(part.toolId)}` : undefined);
  // Tools name files as empty links, `Read [](file:///…/a.ts)`, which VS Code shows as the name.
  const named = line?.replace(/\[\]\(([^)\s]+)\)/g, (link, uri: string) => codeSpan(fileNameOf(uri)) ?? link);
  return named === undefined ? undefined : `*${named.replace(/\s*\n\s*/g, ' ')}*`;
}

function warningLine(text: string | undefined): string | undefined {
  return text === undefined ? undefined : `**Warning:** ${text}`;
}
