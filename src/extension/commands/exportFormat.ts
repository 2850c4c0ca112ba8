// The file name Export Sessions suggests. Pure, so it is unit-tested; what it writes is
// interop/exportRender.ts's business.
import { Session } from '../../core/model';
import { slugify } from '../../interop/exportFiles';
import { ExportFormat } from '../../interop/exportRender';

/** "fix-the-parser.md" for one session, "multichat-sessions-2024-06-15.json" for several. */
export function suggestedFileName(sessions: readonly Pick<Session, 'title'>[], format: ExportFormat, now: Date): string {
  const extension = format === 'json' ? 'json' : 'md';
  const slug = sessions.length === 1 ? slugify(sessions[0].title) : '';
  const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((part) => String(part).padStart(2, '0')).join('-');
  return `${slug || `multichat-sessions-${day}`}.${extension}`;
}
