// The questions Import Sessions… asks: what to import (this workspace's Copilot Chat history, a
// file or a folder), and — only when no importer recognises it — in which format.
import * as vscode from 'vscode';
import { describeError, isMultichatError } from '../../core/errors';
import { ImportFormat } from '../../interop/import/importFormats';
import { IMPORTERS, findUnits } from '../../interop/import/importers';

export interface ImportSource {
  path: string;
  /** How the summary and the log name it. */
  description: string;
  /** This workspace's Copilot Chat history: known to be Copilot's, and remembered for following. */
  copilotHistory?: boolean;
}

interface SourceItem extends vscode.QuickPickItem {
  pick: () => Promise<ImportSource | undefined>;
}

/** The source the user picks; undefined when they back out. `copilot`: the history folder and its session-file count. */
export async function askImportSource(copilot: { folder: string; sessionFiles: number } | undefined): Promise<ImportSource | undefined> {
  const items: SourceItem[] = [];
  if (copilot) {
    items.push({
      label: vscode.l10n.t('Copilot Chat history of this workspace'),
      description: copilot.sessionFiles === 1 ? vscode.l10n.t('1 session file') : vscode.l10n.t('{0} session files', copilot.sessionFiles.toLocaleString('en-US')),
      iconPath: new vscode.ThemeIcon('copilot'),
      pick: async () => ({ path: copilot.folder, description: 'the Copilot Chat history of this workspace', copilotHistory: true }),
    });
  }
  items.push(
    {
      label: vscode.l10n.t('File…'),
      description: vscode.l10n.t('a Multichat export, a Copilot Chat session or export, a Cursor database'),
      iconPath: vscode.ThemeIcon.File,
      pick: () => askPath(false),
    },
    {
      label: vscode.l10n.t('Folder…'),
      description: vscode.l10n.t("Continue's sessions, Cline's or Roo's tasks, Copilot's chatSessions or workspaceStorage"),
      iconPath: vscode.ThemeIcon.Folder,
      pick: () => askPath(true),
    },
  );
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Import Sessions'), placeHolder: vscode.l10n.t('Import what?') });
  return picked?.pick();
}

async function askPath(folder: boolean): Promise<ImportSource | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: folder ? vscode.l10n.t('Import Sessions from a Folder') : vscode.l10n.t('Import Sessions from a File'),
    openLabel: vscode.l10n.t('Import'),
    canSelectMany: false,
    canSelectFiles: !folder,
    canSelectFolders: folder,
    filters: folder ? undefined : { [vscode.l10n.t('Chat histories')]: ['json', 'jsonl', 'vscdb'], [vscode.l10n.t('All files')]: ['*'] },
  });
  return picked?.[0] && { path: picked[0].fsPath, description: picked[0].fsPath };
}

/**
 * The format to import `path` in: `auto` when some importer recognises it; otherwise the user's
 * pick, after saying what was not recognised (undefined when they back out).
 */
export async function resolveFormat(path: string): Promise<ImportFormat | 'auto' | undefined> {
  try {
    await findUnits(path, 'auto');
    return 'auto';
  } catch (error) {
    if (!isMultichatError(error, 'invalid-input')) {
      throw error;
    }
    const pickFormat = vscode.l10n.t('Pick the Format…');
    const answer = await vscode.window.showWarningMessage(`Multichat: ${describeError(error)}`, pickFormat);
    return answer === pickFormat ? pickImportFormat() : undefined;
  }
}

async function pickImportFormat(): Promise<ImportFormat | undefined> {
  const items = IMPORTERS.map((importer) => ({ label: importer.label, description: importer.format, format: importer.format }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Import Sessions'), placeHolder: vscode.l10n.t('Read it as which format?') });
  return picked?.format;
}
