// VS Code's Copilot Chat history as an import format: whole-file sessions (`.json`, schema
// versions 1–3), append logs (`.jsonl`), and single chats saved with "Chat: Export Chat…". Each
// file is one unit, read whole: a broken file is reported and the folder's others still import.
import { basename, dirname, join } from 'node:path';
import { Importer, ImportUnit, ParsedUnit, SkippedParts } from '../importFormats';
import { parseJsonText, readTextFile } from '../importErrors';
import { CHAT_SESSIONS, discoverCopilot } from './copilotDiscover';
import { replayLog } from './copilotLog';
import { copilotSession } from './copilotSession';

export const copilotImporter: Importer = {
  format: 'copilot',
  label: 'Copilot Chat',
  discover: discoverCopilot,
  async read(unit: ImportUnit): Promise<ParsedUnit> {
    const text = await readTextFile(unit.path);
    const skipped: SkippedParts = {};
    const isLog = /\.jsonl$/i.test(unit.path);
    const data = isLog ? replayLog(text, unit.path, skipped) : parseJsonText(text.replace(/^\uFEFF/, ''), unit.path);
    const fallbackId = isLog ? basename(unit.path).replace(/\.jsonl$/i, '') : undefined;
    const session = copilotSession(data, { file: unit.path, fallbackId }, skipped);
    return { sessions: session ? [session] : [], skipped };
  },
};

/**
 * Copilot's history folder for a workspace, from this extension's own storage folder there:
 * VS Code gives an extension `workspaceStorage/<hash>/<publisher.name>`, and keeps the chat
 * sessions beside it in `workspaceStorage/<hash>/chatSessions`.
 */
export function chatSessionsFolderOf(extensionStoragePath: string): string {
  return join(dirname(extensionStoragePath.replace(/[/\\]+$/, '')), CHAT_SESSIONS);
}
