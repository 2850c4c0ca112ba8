// Import Sessions…: reads a multichat export bundle, validates all of it before writing anything,
// then merges it session by session (idempotent, so a cancelled import is finished by running it
// again). Fields the model does not know are left out and counted in the summary. Arguments for
// scripts: (uri or path, { folder }).
import * as vscode from 'vscode';
import { ImportCounts, importSession } from '../../core/importSession';
import { Session } from '../../core/model';
import { SessionStore } from '../../core/store';
import { IgnoredFields, describeImport, readBundle } from '../../interop/bundle';
import { sessionCount } from '../tree/counts';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, uriArg } from './commandRunner';
import { resolveFolder } from './targets';

export function importSessionsCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.importSessions',
    failure: 'import the sessions',
    run: async (sourceArg?: unknown, optionsValue?: unknown): Promise<(ImportCounts & { ignoredFields?: IgnoredFields }) | undefined> => {
      const source = uriArg(sourceArg) ?? (await askSource());
      if (!source) {
        return undefined;
      }
      const { sessions, ignoredFields } = readBundle(new TextDecoder().decode(await vscode.workspace.fs.readFile(source)));
      const folder = await resolveFolder(deps.catalog, optionsArg<{ folder: string }>(optionsValue).folder, 'Import into which folder?');
      if (!folder) {
        return undefined;
      }
      const store = await deps.catalog.storeFor(folder);
      const counts = await importWithProgress(store, sessions);
      const summary = describeImport(counts, ignoredFields);
      deps.logger.info('commands', `import from ${source.toString()}: ${summary}${counts.cancelled ? ' (cancelled)' : ''}`);
      void vscode.window.showInformationMessage(
        counts.cancelled
          ? `Multichat: import cancelled after ${sessionCount(counts.imported + counts.updated + counts.unchanged)} (${summary}). Import the file again to finish.`
          : `Multichat: ${summary}.`,
      );
      const ignored = Object.keys(ignoredFields).length > 0 ? { ignoredFields } : {};
      return { imported: counts.imported, updated: counts.updated, unchanged: counts.unchanged, ...ignored };
    },
  };
}

async function askSource(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import Sessions',
    openLabel: 'Import',
    canSelectMany: false,
    filters: { 'Multichat export': ['json'] },
  });
  return picked?.[0];
}

function importWithProgress(store: SessionStore, sessions: readonly Session[]): Thenable<ImportCounts & { cancelled: boolean }> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Importing ${sessionCount(sessions.length)}`, cancellable: true },
    async (progress, token) => {
      const counts = { imported: 0, updated: 0, unchanged: 0, cancelled: false };
      for (const session of sessions) {
        if (token.isCancellationRequested) {
          counts.cancelled = true;
          break;
        }
        counts[await importSession(store, session)]++;
        progress.report({ increment: 100 / sessions.length });
      }
      return counts;
    },
  );
}
