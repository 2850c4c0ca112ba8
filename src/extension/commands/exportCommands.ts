// Export Sessions… (Markdown or a JSON bundle, to a file) and Copy as Markdown. An export streams
// (interop/exportStream.ts): each session is read and written before the next, so exporting many
// does not hold them all in memory.
import * as vscode from 'vscode';
import { sessionNotFound } from '../../core/errors';
import { Session } from '../../core/model';
import { ExportFormat, isExportFormat, renderExport } from '../../interop/exportRender';
import { StreamExportOptions, exportToFile, streamExport } from '../../interop/exportStream';
import { SessionRef } from '../sessionRef';
import { SessionCatalog } from '../tree/sessionCatalog';
import { sessionCount } from '../tree/counts';
import { countOf } from '../tree/relativeTime';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, uriArg } from './commandRunner';
import { suggestedFileName } from './exportFormat';
import { resolveTargets } from './targets';

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
      const target = uriArg(options.uri) ?? (await askTarget(deps.catalog, refs, format));
      if (!target || !(await exportWithProgress(deps.catalog, refs, { format, target }))) {
        return undefined;
      }
      deps.logger.info('commands', `exported ${countOf(refs.length, 'session')} to ${target.toString()}`);
      void vscode.window.showInformationMessage(`Multichat: exported ${sessionCount(refs.length)} to ${vscode.workspace.asRelativePath(target)}.`);
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

function askTarget(catalog: SessionCatalog, refs: SessionRef[], format: ExportFormat): Thenable<vscode.Uri | undefined> {
  const folder = catalog.folders()[0];
  const name = suggestedFileName(refs.map((ref) => ({ title: catalog.find(ref)?.summary.title ?? '' })), format, new Date());
  return vscode.window.showSaveDialog({
    title: `Export ${sessionCount(refs.length)}`,
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(vscode.Uri.parse(folder.uri), name) : undefined,
    filters: format === 'json' ? { 'Multichat export': ['json'] } : { Markdown: ['md'] },
  });
}

/** Streams the export with a cancellable notification; false when cancelled (nothing is written then). */
function exportWithProgress(catalog: SessionCatalog, refs: SessionRef[], job: { format: ExportFormat; target: vscode.Uri }): Thenable<boolean> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${sessionCount(refs.length)}`, cancellable: true },
    async (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => cancel.abort());
      const options = { format: job.format, signal: cancel.signal, onSession: () => progress.report({ increment: 100 / refs.length }) };
      try {
        await writeExport(job.target, sessionsOf(catalog, refs), options);
        return true;
      } catch (error) {
        if (cancel.signal.aborted) {
          return false;
        }
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
}

/** Local files are written as a stream and replaced atomically; other file systems take whole files. */
async function writeExport(target: vscode.Uri, sessions: AsyncIterable<Session>, options: StreamExportOptions): Promise<void> {
  if (target.scheme === 'file') {
    await exportToFile(target.fsPath, sessions, options);
    return;
  }
  const parts: string[] = [];
  await streamExport(sessions, { write: async (text) => void parts.push(text) }, options);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(parts.join('')));
}

async function* sessionsOf(catalog: SessionCatalog, refs: readonly SessionRef[]): AsyncGenerator<Session> {
  for (const ref of refs) {
    const session = await (await catalog.storeFor(ref.folder)).get(ref.sessionId);
    if (!session) {
      throw sessionNotFound(ref.sessionId);
    }
    yield session;
  }
}

/** Loads full sessions, with a cancellable notification; undefined when cancelled. */
function loadWithProgress(catalog: SessionCatalog, refs: SessionRef[]): Thenable<Session[] | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading ${sessionCount(refs.length)}`, cancellable: true },
    async (progress, token) => {
      const sessions: Session[] = [];
      for await (const session of sessionsOf(catalog, refs)) {
        if (token.isCancellationRequested) {
          return undefined;
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
      // The clipboard takes one string, so this one is rendered whole.
      const markdown = renderExport(sessions, 'markdown');
      await vscode.env.clipboard.writeText(markdown);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${sessionCount(sessions.length)} as Markdown`, 3000);
      return markdown;
    },
  };
}
