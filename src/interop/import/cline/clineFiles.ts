// Reads the files of one task folder, each validated: api_conversation_history.json is required;
// ui_messages.json and task_metadata.json are optional, but one that is there and broken fails the
// task as a whole, naming that file, since a task imports whole or not at all.
import { join } from 'node:path';
import { z } from 'zod';
import { parseWith, readJsonFile } from '../importErrors';
import { pathKind } from '../importPaths';
import { ApiMessage, ModelUsage, UiMessage, apiHistorySchema, taskMetadataSchema, uiMessagesSchema } from './clineSchema';

export const API_HISTORY_FILE = 'api_conversation_history.json';
export const UI_MESSAGES_FILE = 'ui_messages.json';
export const TASK_METADATA_FILE = 'task_metadata.json';

export interface TaskFiles {
  apiFile: string;
  api: ApiMessage[];
  ui: UiMessage[];
  usage: ModelUsage[];
}

export async function readTaskFiles(folder: string): Promise<TaskFiles> {
  const apiFile = join(folder, API_HISTORY_FILE);
  const api = parseWith(apiHistorySchema, await readJsonFile(apiFile), apiFile);
  const ui = (await readOptional(join(folder, UI_MESSAGES_FILE), uiMessagesSchema)) ?? [];
  const metadata = await readOptional(join(folder, TASK_METADATA_FILE), taskMetadataSchema);
  return { apiFile, api, ui, usage: metadata?.model_usage ?? [] };
}

async function readOptional<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  if ((await pathKind(file)) === 'none') {
    return undefined;
  }
  return parseWith(schema, await readJsonFile(file), file);
}

