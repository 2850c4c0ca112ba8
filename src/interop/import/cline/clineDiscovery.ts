// Where Cline / Roo Code tasks are: the extension's global storage (`saoudrizwan.claude-dev`,
// `rooveterinaryinc.roo-cline`) holds `tasks/<taskId>/api_conversation_history.json`, and newer
// Cline `state/taskHistory.json` beside `tasks/`. A unit is one task folder; its taskHistory entry
// rides along in the hint, so that file is read once per run rather than once per task.
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ImportUnit } from '../importFormats';
import { readLenientArray } from '../importErrors';
import { folderEntries, pathKind } from '../importPaths';
import { API_HISTORY_FILE } from './clineFiles';
import { HistoryItem, historyItemSchema } from './clineSchema';

export interface ClineHint {
  history?: HistoryItem;
}

/** The task folders at `path`: a task folder, a `tasks` folder, or a global-storage folder holding `tasks/`. */
export async function discoverTasks(path: string, claimOnly: boolean): Promise<ImportUnit[]> {
  const kind = await pathKind(path);
  if (kind === 'file') {
    return basename(path) === API_HISTORY_FILE ? tasksIn([dirname(path)], dirname(dirname(path))) : [];
  }
  if (kind !== 'folder') {
    return [];
  }
  if (await isTaskFolder(path)) {
    return tasksIn([path], dirname(path));
  }
  if ((await pathKind(join(path, 'tasks'))) === 'folder') {
    return tasksIn(await subfolders(join(path, 'tasks')), join(path, 'tasks'));
  }
  // A folder of tasks is claimed by its name; named otherwise, only when Cline is asked for.
  return !claimOnly || basename(resolve(path)) === 'tasks' ? tasksIn(await subfolders(path), path) : [];
}

async function isTaskFolder(folder: string): Promise<boolean> {
  return (await pathKind(join(folder, API_HISTORY_FILE))) === 'file';
}

async function subfolders(folder: string): Promise<string[]> {
  return (await folderEntries(folder)).filter((entry) => entry.isDirectory()).map((entry) => join(folder, entry.name));
}

/** Units for those of `folders` that are tasks, each with its entry in the taskHistory beside `tasksFolder`. */
async function tasksIn(folders: readonly string[], tasksFolder: string): Promise<ImportUnit[]> {
  const tasks: string[] = [];
  for (const folder of folders) {
    if (await isTaskFolder(folder)) {
      tasks.push(folder);
    }
  }
  const history = tasks.length > 0 ? await readTaskHistory(join(dirname(tasksFolder), 'state', 'taskHistory.json')) : new Map<string, HistoryItem>();
  return tasks.map((folder) => {
    const entry = history.get(basename(folder));
    const hint: ClineHint = entry ? { history: entry } : {};
    return { format: 'cline', path: folder, hint };
  });
}

/**
 * taskHistory.json by task id. It only adds a title and a time to tasks that stand on their own,
 * so it is read leniently: when missing or broken it adds nothing, and a bad entry is passed over.
 */
async function readTaskHistory(file: string): Promise<Map<string, HistoryItem>> {
  const history = new Map<string, HistoryItem>();
  for (const entry of await readLenientArray(file)) {
    const item = historyItemSchema.safeParse(entry);
    if (item.success) {
      history.set(item.data.id, item.data);
    }
  }
  return history;
}

/** Roo Code keeps the same layout under its own extension id (`rooveterinaryinc.roo-cline`). */
export function isRooPath(path: string): boolean {
  return resolve(path)
    .split(sep)
    .some((part) => /^rooveterinaryinc\.|^roo-?(cline|code)$/i.test(part));
}
