// Import Sessions…: this workspace's Copilot Chat history, a file or a folder of another tool's
// chat history (or a Multichat export), read by the import framework (interop/import): every
// file read whole and validated, merged session by session (by id, so running it again changes
// nothing and a changed source updates what it wrote), a broken file named and skipped.
// Scripts pass (uri or path, { folder, from }) and get the ImportReport back without a dialog.
import * as vscode from 'vscode';
import { MultichatError, invalidInput } from '../../core/errors';
import { IMPORT_FORMATS, ImportFormat } from '../../interop/import/importFormats';
import { ImportReport } from '../../interop/import/runImport';
import { CopilotHistory, NO_HISTORY } from '../import/copilotImport';
import { ImportSource, askImportSource, resolveFormat } from '../import/importPicks';
import { importWithProgress, logImport, showImportResult } from '../import/importRun';
import { Logger } from '../logger';
import { SessionCatalog } from '../tree/sessionCatalog';
import { CommandSpec, optionsArg, uriArg } from './commandRunner';
import { resolveFolder } from './targets';

export interface ImportDeps {
  catalog: SessionCatalog;
  history: CopilotHistory;
  logger: Logger;
}

interface ImportArgs {
  folder: string;
  from: string;
}

export function importSessionsCommand(deps: ImportDeps): CommandSpec {
  return {
    id: 'multichat.importSessions',
    failure: 'import the sessions',
    run: async (sourceArg?: unknown, optionsValue?: unknown): Promise<ImportReport | undefined> => {
      const options = optionsArg<ImportArgs>(optionsValue);
      const scripted = sourceArg !== undefined;
      const source = scripted ? sourceOfArg(sourceArg) : await askImportSource(await copilotChoice(deps.history));
      if (!source) {
        return undefined;
      }
      if (source.copilotHistory) {
        return importCopilotHistory(deps, options.folder);
      }
      const from = scripted ? formatArg(options.from) : await resolveFormat(source.path);
      const folder = from && (await resolveFolder(deps.catalog, options.folder, vscode.l10n.t('Import into which folder?')));
      if (!from || !folder) {
        return undefined;
      }
      const store = await deps.catalog.storeFor(folder);
      const report = await importWithProgress({ store, path: source.path, from, title: vscode.l10n.t('Importing sessions') });
      logImport(deps.logger, source.description, report);
      void showImportResult(deps.logger, report);
      return report;
    },
  };
}

export function importCopilotHistoryCommand(deps: ImportDeps): CommandSpec {
  return {
    id: 'multichat.importCopilotHistory',
    failure: 'import the Copilot Chat history',
    run: async (optionsValue?: unknown) => importCopilotHistory(deps, optionsArg<ImportArgs>(optionsValue).folder),
  };
}

/** Imports this workspace's Copilot Chat history into the folder named, or the one the user picks. */
export async function importCopilotHistory(deps: ImportDeps, folderArg: unknown): Promise<ImportReport | undefined> {
  if ((await deps.history.sessionFiles()) === undefined) {
    throw NO_HISTORY();
  }
  const target = await resolveFolder(deps.catalog, folderArg ?? deps.history.lastTarget(), vscode.l10n.t('Import the Copilot Chat history into which folder?'));
  return target === undefined ? undefined : deps.history.importInto({ target, skipUnchanged: false, quiet: false });
}

async function copilotChoice(history: CopilotHistory): Promise<{ folder: string; sessionFiles: number } | undefined> {
  const sessionFiles = await history.sessionFiles();
  return history.folder !== undefined && sessionFiles !== undefined ? { folder: history.folder, sessionFiles } : undefined;
}

function sourceOfArg(value: unknown): ImportSource {
  const uri = uriArg(value);
  if (!uri) {
    throw invalidInput('import takes a file or folder: a Uri, a URI string or a path');
  }
  if (uri.scheme !== 'file') {
    throw new MultichatError('usage', `import reads files on this machine, not ${uri.toString()}`);
  }
  return { path: uri.fsPath, description: uri.fsPath };
}

function formatArg(value: unknown): ImportFormat | 'auto' {
  if (value === undefined || value === 'auto') {
    return 'auto';
  }
  const format = IMPORT_FORMATS.find((each) => each === value);
  if (!format) {
    throw invalidInput(`unknown import format: ${JSON.stringify(value)} (one of auto, ${IMPORT_FORMATS.join(', ')})`);
  }
  return format;
}
