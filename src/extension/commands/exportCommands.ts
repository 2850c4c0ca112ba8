// Export Sessions… (Markdown or a JSON bundle, to a file) and Copy as Markdown. An export streams
// (interop/exportStream.ts): each session is read and written before the next, so exporting many
// does not hold them all in memory.
import * as vscode from 'vscode';
import { sessionNotFound } from '../../core/errors';
import { Session } from '../../core/model';
import { ExportFormat, isExportFormat, renderExport } from '../../interop/exportRender';
import { StreamExportOptions, exportToFile, streamExport } from '../../interop/exportStream';
import { SessionRef } from '../sessionRef';
import { isSessionNode } from '../tree/nodes';
import { SessionCatalog } from '../tree/sessionCatalog';
import { sessionCount } from '../tree/counts';
import { countOf } from '../tree/relativeTime';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, uriArg } from './commandRunner';
import { suggestedFileName } from './exportFormat';
import { showExported } from './exportResult';
import { resolveTargets } from './targets';

export interface ExportArgs {
  format: ExportFormat;
  /** Where to write (a Uri or a file path); skips the save dialog. */
  uri: vscode.Uri | string;
}

/** What the last export in this window chose, so the next one offers it first. */
const lastExport: { format?: ExportFormat; folder?: vscode.Uri } = {};

export function exportSessionsCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.exportSessions',
    failure: 'export the sessions',
    run: async (...args: unknown[]): Promise<string | undefined> => {
      const refs = await resolveTargets(deps.catalog, args, {
        title: vscode.l10n.t('Export Sessions'),
        placeHolder: vscode.l10n.t('Which sessions?'),
        canPickMany: true,
        preselected: deps.treeView.selection.filter(isSessionNode).map((node) => node.ref),
      });
      const options = optionsArg<ExportArgs>(args[1]);
      const format = isExportFormat(options.format) ? options.format : refs && (await pickFormat(refs.length));
      if (!refs || !format) {
        return undefined;
      }
      const target = uriArg(options.uri) ?? (await askTarget(deps.catalog, refs, format));
      if (!target || !(await exportWithProgress(deps.catalog, refs, { format, target }))) {
        return undefined;
      }
      lastExport.format = format;
      lastExport.folder = vscode.Uri.joinPath(target, '..');
      deps.logger.info('commands', `exported ${countOf(refs.length, 'session')} to ${target.toString()}`);
      void showExported(deps.logger, target, refs.length);
      return target.toString();
    },
  };
}

/** Markdown or a JSON bundle; the format used last comes first, highlighted, so Enter repeats it. */
async function pickFormat(count: number): Promise<ExportFormat | undefined> {
  const lastUsed = vscode.l10n.t('last used');
  const formats = [
    { label: 'Markdown', detail: vscode.l10n.t('For reading and sharing'), format: 'markdown' as const, iconPath: new vscode.ThemeIcon('markdown') },
    { label: vscode.l10n.t('JSON bundle'), detail: vscode.l10n.t('For backup and Import Sessions'), format: 'json' as const, iconPath: new vscode.ThemeIcon('json') },
  ].map((item) => ({ ...item, description: item.format === lastExport.format ? lastUsed : undefined }));
  const items = [...formats.filter((item) => item.format === lastExport.format), ...formats.filter((item) => item.format !== lastExport.format)];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export {0}', sessionCount(count)), placeHolder: vscode.l10n.t('Format') });
  return picked?.format;
}

/** The save dialog, in the folder of the last export (else the workspace folder), with a file name from the title. */
async function askTarget(catalog: SessionCatalog, refs: SessionRef[], format: ExportFormat): Promise<vscode.Uri | undefined> {
  const folder = lastExport.folder ?? (catalog.folders()[0] && vscode.Uri.parse(catalog.folders()[0].uri));
  const name = suggestedFileName(refs.length === 1 ? [{ title: await titleOf(catalog, refs[0]) }] : refs.map(() => ({ title: '' })), format, new Date());
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export {0}', sessionCount(refs.length)),
    saveLabel: vscode.l10n.t('Export'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format === 'json' ? { [vscode.l10n.t('Multichat export')]: ['json'] } : { Markdown: ['md'] },
  });
}

/** The title the tree knows, else the store's (a session just made, not listed yet). */
async function titleOf(catalog: SessionCatalog, ref: SessionRef): Promise<string> {
  return catalog.find(ref)?.summary.title ?? (await (await catalog.storeFor(ref.folder)).get(ref.sessionId))?.title ?? '';
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
