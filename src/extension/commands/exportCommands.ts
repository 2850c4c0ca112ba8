import * as vscode from 'vscode';
import { sessionNotFound } from '../../core/errors';
import { Session } from '../../core/model';
import { sessionsToMarkdown } from '../../interop/markdown';
import { replaceFileAtomically } from '../../stores/fs/atomicFile';
import { SessionRef } from '../sessionRef';
import { SessionCatalog } from '../tree/sessionCatalog';
import { countOf } from '../tree/relativeTime';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, uriArg } from './commandRunner';
import { ExportFormat, isExportFormat, renderExport, suggestedFileName } from './exportFormat';
import { resolveTargets } from './targets';

/** Export Sessions… (Markdown or a JSON bundle, to a file) and Copy as Markdown. */
export interface ExportArgs {
  format: ExportFormat;
  /** Where to write (a Uri or a file path); skips the save dialog. */
  uri: vscode.Uri | string;
}

export function exportSessionsCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.exportSessions',
    failure: 'export the sessions',
    run: async (...args: unknown[]): Promise<string | undefined> => {
      const refs = await resolveTargets(deps.catalog, args, { placeHolder: 'Export which sessions?', canPickMany: true });
      const options = optionsArg<ExportArgs>(args[1]);
      const format = isExportFormat(options.format) ? options.format : refs && (await pickFormat());
      if (!refs || !format) {
        return undefined;
      }
      const sessions = await loadWithProgress(deps.catalog, refs);
      if (!sessions) {
        return undefined;
      }
      const target = uriArg(options.uri) ?? (await askTarget(deps.catalog, sessions, format));
      if (!target) {
        return undefined;
      }
      await writeExport(target, renderExport(sessions, format));
      deps.logger.info('commands', `exported ${sessions.length} session(s) to ${target.toString()}`);
      void vscode.window.showInformationMessage(`Multichat: exported ${countOf(sessions.length, 'session')} to ${vscode.workspace.asRelativePath(target)}.`);
      return target.toString();
    },
  };
}

async function pickFormat(): Promise<ExportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Markdown', description: 'for reading and sharing', format: 'markdown' as const, iconPath: new vscode.ThemeIcon('markdown') },
      { label: 'JSON bundle', description: 'for backup and Import Sessions', format: 'json' as const, iconPath: new vscode.ThemeIcon('json') },
    ],
    { placeHolder: 'Export as' },
  );
  return picked?.format;
}

function askTarget(catalog: SessionCatalog, sessions: Session[], format: ExportFormat): Thenable<vscode.Uri | undefined> {
  const folder = catalog.folders()[0];
  const name = suggestedFileName(sessions, format, new Date());
  return vscode.window.showSaveDialog({
    title: `Export ${countOf(sessions.length, 'session')}`,
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(vscode.Uri.parse(folder.uri), name) : undefined,
    filters: format === 'json' ? { 'Multichat export': ['json'] } : { Markdown: ['md'] },
  });
}

/** Local files are replaced atomically (temp file, fsync, rename); other file systems through VS Code. */
async function writeExport(target: vscode.Uri, text: string): Promise<void> {
  if (target.scheme === 'file') {
    await replaceFileAtomically(target.fsPath, text);
  } else {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  }
}

/** Loads full sessions, with a cancellable notification; undefined when cancelled. */
export function loadWithProgress(catalog: SessionCatalog, refs: SessionRef[]): Thenable<Session[] | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading ${countOf(refs.length, 'session')}`, cancellable: true },
    async (progress, token) => {
      const sessions: Session[] = [];
      for (const ref of refs) {
        if (token.isCancellationRequested) {
          return undefined;
        }
        const session = await (await catalog.storeFor(ref.folder)).get(ref.sessionId);
        if (!session) {
          throw sessionNotFound(ref.sessionId);
        }
        sessions.push(session);
        progress.report({ increment: 100 / refs.length });
      }
      return sessions;
    },
  );
}

export function copyAsMarkdownCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.copySessionAsMarkdown',
    failure: 'copy the session',
    run: async (...args: unknown[]): Promise<string | undefined> => {
      const refs = await resolveTargets(deps.catalog, args, { placeHolder: 'Copy which session as Markdown?' });
      const sessions = refs && (await loadWithProgress(deps.catalog, refs));
      if (!sessions) {
        return undefined;
      }
      const markdown = sessionsToMarkdown(sessions);
      await vscode.env.clipboard.writeText(markdown);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${countOf(sessions.length, 'session')} as Markdown`, 3000);
      return markdown;
    },
  };
}
