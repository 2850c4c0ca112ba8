// The one renderer of exports, for the CLI's `export` and the editor's Export Sessions and Copy
// as Markdown. It renders a session at a time, so an export streams: the head, one entry per
// session as it is read, then the tail. Joined, the pieces are byte for byte what
// `JSON.stringify(bundle, null, 2) + "\n"` (or the Markdown sections joined by rules) would be.
import { Session } from '../core/model';
import { makeBundle } from './bundle';
import { sessionToMarkdown } from './markdown';

export type ExportFormat = 'json' | 'markdown';

export function isExportFormat(value: unknown): value is ExportFormat {
  return value === 'json' || value === 'markdown';
}

export interface ExportRenderer {
  head(): string;
  /** The next session, with whatever separates it from the one before. */
  entry(session: Session): string;
  tail(): string;
}

const MARKDOWN_RULE = '\n---\n\n';

export function exportRenderer(format: ExportFormat): ExportRenderer {
  return format === 'json' ? bundleRenderer() : markdownRenderer();
}

/** A whole export in memory, for small ones (a clipboard, a file system that takes only whole files). */
export function renderExport(sessions: readonly Session[], format: ExportFormat): string {
  const renderer = exportRenderer(format);
  return renderer.head() + sessions.map((session) => renderer.entry(session)).join('') + renderer.tail();
}

function bundleRenderer(): ExportRenderer {
  let count = 0;
  return {
    head: () => {
      // The envelope of an empty bundle, its array left open for the sessions to stream into.
      const empty = JSON.stringify(makeBundle([]), null, 2);
      return empty.slice(0, empty.lastIndexOf('[') + 1);
    },
    // JSON text holds no raw line breaks inside strings, so indenting every line is safe.
    entry: (session) => `${count++ === 0 ? '' : ','}\n    ${JSON.stringify(session, null, 2).replace(/\n/g, '\n    ')}`,
    tail: () => (count === 0 ? ']\n}\n' : '\n  ]\n}\n'),
  };
}

function markdownRenderer(): ExportRenderer {
  let count = 0;
  return {
    head: () => '',
    entry: (session) => `${count++ === 0 ? '' : MARKDOWN_RULE}${sessionToMarkdown(session)}`,
    tail: () => '',
  };
}
