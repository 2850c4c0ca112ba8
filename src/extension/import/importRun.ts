// One import as the user sees it: a cancellable progress notification ("1,234 messages · 12 of 40
// files"), then the summary, with the files that could not be imported listed in the log. Cancelling
// stops between sessions, so the store holds whole sessions and running it again finishes it.
import * as vscode from 'vscode';
import { SessionStore } from '../../core/store';
import { ImportFailure, ImportOptions, ImportReport, describeImportReport, runImport } from '../../interop/import/runImport';
import { Logger } from '../logger';
import { importProgressMessage } from './copilotHistory';

const COMPONENT = 'import';
/** Progress is reported per session; the notification needs no more than this often. */
const PROGRESS_INTERVAL_MS = 100;

export interface ImportRequest extends Pick<ImportOptions, 'from' | 'skipUnit'> {
  store: SessionStore;
  path: string;
  /** The notification's title: "Importing Copilot Chat history". */
  title: string;
}

/** Runs the import in a cancellable progress notification. */
export function importWithProgress(request: ImportRequest): Thenable<ImportReport> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: request.title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancelling = token.onCancellationRequested(() => controller.abort());
      let reportedUnits = 0;
      let lastReport = 0;
      try {
        return await runImport(request.store, request.path, {
          from: request.from,
          skipUnit: request.skipUnit,
          signal: controller.signal,
          onProgress: (done) => {
            const now = Date.now();
            if (done.unitsDone === reportedUnits && now - lastReport < PROGRESS_INTERVAL_MS) {
              return;
            }
            const increment = ((done.unitsDone - reportedUnits) / Math.max(1, done.units)) * 100;
            progress.report({ message: importProgressMessage(done), increment });
            reportedUnits = done.unitsDone;
            lastReport = now;
          },
        });
      } finally {
        cancelling.dispose();
      }
    },
  );
}

/** Logs the run and each file that could not be imported, with what is wrong with it. */
export function logImport(logger: Logger, source: string, report: ImportReport): void {
  logger.info(COMPONENT, `import from ${source}: ${describeImportReport(report)}`);
  for (const failure of report.failed) {
    logger.warn(COMPONENT, `not imported: ${describeFailure(failure)}`);
  }
}

function describeFailure(failure: ImportFailure): string {
  return failure.error.includes(failure.path) ? failure.error : `${failure.path}: ${failure.error}`;
}

/** The summary as an information message, with the way to the failures when some files failed. */
export async function showImportResult(logger: Logger, report: ImportReport): Promise<void> {
  const summary = `Multichat: ${describeImportReport(report)}.`;
  if (report.failed.length === 0) {
    await vscode.window.showInformationMessage(summary);
    return;
  }
  const showProblems = vscode.l10n.t('Show Problems');
  if ((await vscode.window.showInformationMessage(`${summary} ${vscode.l10n.t('The log names each file and what is wrong with it.')}`, showProblems)) === showProblems) {
    logger.show();
  }
}

/** Runs the import in the background, shown only as a spinning item in the status bar. */
export function importQuietly(request: ImportRequest): Thenable<ImportReport> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: request.title }, () =>
    runImport(request.store, request.path, { from: request.from, skipUnit: request.skipUnit }),
  );
}
