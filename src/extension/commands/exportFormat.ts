import { Session } from '../../core/model';
import { makeBundle } from '../../interop/bundle';
import { sessionsToMarkdown } from '../../interop/markdown';

/** What Export Sessions writes, and the file name it suggests. Pure, so it is unit-tested. */
export type ExportFormat = 'markdown' | 'json';

export function isExportFormat(value: unknown): value is ExportFormat {
  return value === 'markdown' || value === 'json';
}

export function renderExport(sessions: Session[], format: ExportFormat): string {
  return format === 'json' ? `${JSON.stringify(makeBundle(sessions), null, 2)}\n` : sessionsToMarkdown(sessions);
}

/** "fix-the-parser.md" for one session, "multichat-sessions-2024-06-15.json" for several. */
export function suggestedFileName(sessions: readonly Pick<Session, 'title'>[], format: ExportFormat, now: Date): string {
  const extension = format === 'json' ? 'json' : 'md';
  const slug = sessions.length === 1 ? slugify(sessions[0].title) : '';
  const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
  return `${slug || `multichat-sessions-${day}`}.${extension}`;
}

/** A file-name-safe form of a title: letters and digits joined by dashes, at most 60 characters. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
