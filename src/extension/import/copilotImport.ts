// This workspace's Copilot Chat history as one import source: where it is, how many sessions it
// holds, and importing it into a folder's store — remembering, per workspace, the folder it went
// into and each file's size and time, so that following it later reads only what changed.
import * as vscode from 'vscode';
import { MultichatError } from '../../core/errors';
import { ImportUnit } from '../../interop/import/importFormats';
import { ImportReport } from '../../interop/import/runImport';
import { Logger } from '../logger';
import { SessionCatalog } from '../tree/sessionCatalog';
import { chatSessionsFolderOf } from '../../interop/import/copilot/copilotImporter';
import { Fingerprints, countSessionFiles, fingerprintRun } from './copilotHistory';
import { importQuietly, importWithProgress, logImport, showImportResult } from './importRun';

const STATE_KEY = 'multichat.import.copilotHistory';
const ASKED_KEY = 'multichat.import.copilotOfferAnswered';
const DESCRIPTION = 'the Copilot Chat history of this workspace';

export const NO_HISTORY = (): MultichatError => new MultichatError('not-found', 'this workspace has no Copilot Chat history: Copilot Chat keeps none for it');

interface RememberedImport {
  /** The workspace folder (URI) the history was imported into. */
  folder?: string;
  files?: Fingerprints;
}

export interface CopilotImportOptions {
  /** The workspace folder (URI) to import into. */
  target: string;
  /** Leave out files unchanged since the last complete import (following); a manual import reads all. */
  skipUnchanged: boolean;
  /** In the background (following) rather than in a cancellable notification with a result message. */
  quiet: boolean;
}

export class CopilotHistory {
  /** `chatSessions` beside this extension's workspace storage; undefined without a workspace. */
  readonly folder: string | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    storageUri: vscode.Uri | undefined,
    private readonly catalog: SessionCatalog,
    private readonly logger: Logger,
  ) {
    this.folder = storageUri && chatSessionsFolderOf(storageUri.fsPath);
  }

  /** Session files in the history; undefined when this workspace has none. */
  async sessionFiles(): Promise<number | undefined> {
    return this.folder === undefined ? undefined : countSessionFiles(this.folder);
  }

  /** Whether the user answered the offer to import it, or imported it anyway. */
  get answered(): boolean {
    return this.memento.get<boolean>(ASKED_KEY, false);
  }

  markAnswered(): Thenable<void> {
    return this.memento.update(ASKED_KEY, true);
  }

  /** The workspace folder the last import went into, while it is open. */
  lastTarget(): string | undefined {
    const folder = this.remembered().folder;
    return this.catalog.folders().some((each) => each.uri === folder) ? folder : undefined;
  }

  /** Imports the history; the report, logged (and, unless quiet, shown). */
  async importInto(options: CopilotImportOptions): Promise<ImportReport> {
    const folder = this.folder;
    if (folder === undefined) {
      throw NO_HISTORY();
    }
    const store = await this.catalog.storeFor(options.target);
    const fingerprints = fingerprintRun(this.remembered().files ?? {}, options.skipUnchanged);
    const request = { store, path: folder, from: 'copilot' as const, skipUnit: (unit: ImportUnit) => fingerprints.skipUnit(unit), title: vscode.l10n.t('Importing the Copilot Chat history') };
    const report = await (options.quiet ? importQuietly(request) : importWithProgress(request));
    logImport(this.logger, DESCRIPTION, report);
    if (fingerprints.skipped > 0) {
      this.logger.info('import', `${fingerprints.skipped} unchanged Copilot Chat file${fingerprints.skipped === 1 ? '' : 's'} not read again`);
    }
    // A cancelled run may have stopped inside a file: the next one reads every file it did not finish.
    if (!report.cancelled) {
      await this.memento.update(STATE_KEY, { folder: options.target, files: fingerprints.seen });
    }
    await this.markAnswered();
    if (!options.quiet) {
      void showImportResult(this.logger, report);
    }
    return report;
  }

  private remembered(): RememberedImport {
    const stored = this.memento.get<RememberedImport | undefined>(STATE_KEY);
    return typeof stored === 'object' && stored !== null ? stored : {};
  }
}
