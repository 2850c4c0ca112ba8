// Continue's chat sessions: one session per file under `~/.continue/sessions`, read whole (see
// continueSchema for the shape it must have), dated by the sessions.json index.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Importer, ImportUnit, ParsedUnit, SkippedParts } from '../importFormats';
import { parseWith, readJsonFile } from '../importErrors';
import { isoTime } from '../sessionDraft';
import { ContinueHint, discoverSessions } from './continueDiscovery';
import { sessionFileSchema } from './continueSchema';
import { continueSession } from './continueSession';

export const continueImporter: Importer = {
  format: 'continue',
  label: 'Continue',
  discover: discoverSessions,
  async read(unit: ImportUnit): Promise<ParsedUnit> {
    const parsed = parseWith(sessionFileSchema, await readJsonFile(unit.path), unit.path);
    const hint = (unit.hint ?? {}) as ContinueHint;
    const skipped: SkippedParts = {};
    const context = {
      file: unit.path,
      fallbackId: basename(unit.path, '.json'),
      time: (typeof hint.created === 'string' ? isoTime(hint.created) : undefined) ?? (await fileTime(unit.path)),
      indexTitle: typeof hint.title === 'string' ? hint.title : undefined,
      skipped,
    };
    const session = continueSession(parsed, context);
    return { sessions: session ? [session] : [], skipped };
  },
};

/** The file's mtime: stable while the file is unchanged, for a session the index does not date. */
async function fileTime(file: string): Promise<string> {
  const stats = await stat(file).catch(() => undefined);
  return isoTime(stats?.mtimeMs) ?? '1970-01-01T00:00:00.000Z';
}
