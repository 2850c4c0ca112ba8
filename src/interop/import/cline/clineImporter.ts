// Cline's and Roo Code's task histories: one task folder per session, read whole (see clineFiles
// for what is required and how strictly). `--from cline` covers both; the session's source says
// which of the two wrote it.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Importer, ImportUnit, ParsedUnit, SkippedParts } from '../importFormats';
import { isoTime } from '../sessionDraft';
import { ClineHint, discoverTasks, isRooPath } from './clineDiscovery';
import { readTaskFiles } from './clineFiles';
import { historyItemSchema } from './clineSchema';
import { taskSession } from './clineSession';
import { timeOfTaskId } from './clineTimes';

export const clineImporter: Importer = {
  format: 'cline',
  label: 'Cline / Roo Code',
  discover: discoverTasks,
  async read(unit: ImportUnit): Promise<ParsedUnit> {
    const files = await readTaskFiles(unit.path);
    const taskId = basename(unit.path);
    const history = historyItemSchema.safeParse((unit.hint as ClineHint | undefined)?.history);
    const identity = {
      taskId,
      source: isRooPath(unit.path) ? ('roo' as const) : ('cline' as const),
      history: history.success ? history.data : undefined,
      fallbackStart: timeOfTaskId(taskId) ?? (await folderTime(unit.path)),
    };
    const skipped: SkippedParts = {};
    const session = taskSession(files, identity, skipped);
    return { sessions: session ? [session] : [], skipped };
  },
};

/** The folder's mtime: stable while the task is untouched, for a task with no time of its own. */
async function folderTime(folder: string): Promise<string> {
  const stats = await stat(folder).catch(() => undefined);
  return isoTime(stats?.mtimeMs) ?? '1970-01-01T00:00:00.000Z';
}
