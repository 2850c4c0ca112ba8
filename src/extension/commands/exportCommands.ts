// Export Sessions… (Markdown or a JSON bundle, to a file, or Markdown as one file per session into
// a folder) and Copy as Markdown. An export streams (interop/exportStream.ts): each session is read
// and written before the next, so exporting many does not hold them all in memory.
import * as vscode from 'vscode';
import { sessionNotFound } from '../../core/errors';
import { Session } from '../../core/model';
import { ExportFormat, isExportFormat, renderExport } from '../../interop/exportRender';
import { SessionRef } from '../sessionRef';
import { isSessionNode } from '../tree/nodes';
import { SessionCatalog } from '../tree/sessionCatalog';
import { sessionCount } from '../tree/counts';
import { countOf } from '../tree/relativeTime';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, uriArg } from './commandRunner';
import { suggestedFileName } from './exportFormat';
import { showExported } from './exportResult';
import { writeEach, writeExport } from './exportWriters';
import { resolveTargets } from './targets';

export interface ExportArgs {
  format: ExportFormat;
  /** Where to write (a Uri or a file path); skips the save dialog. */
  uri: vscode.Uri | string;
  /** One file per session, into the folder `uri` names (`<title>-<id>.md` or `.json`). */
  perSession?: boolean;
}

/** What the user chose to write: a format, and whether each session gets its own file. */
interface ExportChoice {
  format: ExportFormat;
  perSession: boolean;
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
      const choice = isExportFormat(options.format) ? { format: options.format, perSession: options.perSession === true } : refs && (await pickFormat(refs.length));
      if (!refs || !choice) {
        return undefined;
      }
      const target = uriArg(options.uri) ?? (await (choice.perSession ? askFolder(deps.catalog) : askTarget(deps.catalog, refs, choice.format)));
      if (!target || !(await exportWithProgress(deps.catalog, refs, { ...choice, target }))) {
        return undefined;
      }
      lastExport.format = choice.format;
      lastExport.folder = choice.perSession ? target : vscode.Uri.joinPath(target, '..');
      deps.logger.info('commands', `exported ${countOf(refs.length, 'session')} to ${target.toString()}`);
      void showExported(deps.logger, target, refs.length);
      return target.toString();
    },
  };
}

/**
 * Markdown, a JSON bundle, or (for several sessions) Markdown as one file each; the format used last
 * comes first, highlighted, so Enter repeats it.
 */
async function pickFormat(count: number): Promise<ExportChoice | undefined> {
  const lastUsed = vscode.l10n.t('last used');
  const formats = [
    { label: 'Markdown', detail: vscode.l10n.t('For reading and sharing'), format: 'markdown' as const, perSession: false, iconPath: new vscode.ThemeIcon('markdown') },
    { label: vscode.l10n.t('JSON bundle'), detail: vscode.l10n.t('For backup and Import Sessions'), format: 'json' as const, perSession: false, iconPath: new vscode.ThemeIcon('json') },
    ...(count > 1
      ? [{ label: vscode.l10n.t('Markdown, one file per session'), detail: vscode.l10n.t('Into a folder, for a wiki or a repository'), format: 'markdown' as const, perSession: true, iconPath: new vscode.ThemeIcon('files') }]
      : []),
  ].map((item) => ({ ...item, description: item.format === lastExport.format && !item.perSession ? lastUsed : undefined }));
  const items = [...formats.filter((item) => item.description), ...formats.filter((item) => !item.description)];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export {0}', sessionCount(count)), placeHolder: vscode.l10n.t('Format') });
  return picked && { format: picked.format, perSession: picked.perSession };
}

/** The folder a per-session export goes into. */
async function askFolder(catalog: SessionCatalog): Promise<vscode.Uri | undefined> {
  const folder = lastExport.folder ?? (catalog.folders()[0] && vscode.Uri.parse(catalog.folders()[0].uri));
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Export into Folder'),
    openLabel: vscode.l10n.t('Export Here'),
    canSelectFiles: false,
    canSelectFolders: true,
    defaultUri: folder,
  });
  return picked?.[0];
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
function exportWithProgress(catalog: SessionCatalog, refs: SessionRef[], job: ExportChoice & { target: vscode.Uri }): Thenable<boolean> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${sessionCount(refs.length)}`, cancellable: true },
    async (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => cancel.abort());
      const options = { format: job.format, signal: cancel.signal, onSession: () => progress.report({ increment: 100 / refs.length }) };
      try {
        await (job.perSession ? writeEach : writeExport)(job.target, sessionsOf(catalog, refs), options);
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
