// Keep following (`multichat.import.followCopilotChat`): when the window opens, and when the
// setting is turned on, this workspace's Copilot Chat history is imported again in the background
// — new and changed sessions merged (updated, not duplicated), files unchanged since the last run
// left unread. Failures go to the log, with one notification per kind of failure a window at most.
import * as vscode from 'vscode';
import { ImportReport } from '../../interop/import/runImport';
import { showWithLog } from '../commands/commandRunner';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';
import { asSentence } from '../plainText';
import { SessionCatalog } from '../tree/sessionCatalog';
import { CopilotHistory } from './copilotImport';
import { reasonForUser } from '../userErrors';

export const FOLLOW_SECTION = 'multichat.import';
export const FOLLOW_SETTING = 'followCopilotChat';

export function followSettings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(FOLLOW_SECTION);
}

type FailureKind = 'files' | 'run';

export class CopilotFollower extends DisposableObject {
  private running: Promise<ImportReport | undefined> = Promise.resolve(undefined);
  private readonly notified = new Set<FailureKind>();

  constructor(
    private readonly history: CopilotHistory,
    private readonly catalog: SessionCatalog,
    private readonly logger: Logger,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${FOLLOW_SECTION}.${FOLLOW_SETTING}`) && this.enabled) {
          void this.follow();
        }
      }),
    );
  }

  get enabled(): boolean {
    return followSettings().get<boolean>(FOLLOW_SETTING, false);
  }

  /** Imports what changed, after any run under way; resolves with its report (undefined when nothing ran). */
  follow(): Promise<ImportReport | undefined> {
    this.running = this.running.then(() => this.runOnce());
    return this.running;
  }

  /** The report of the last run, once no run is under way. */
  whenIdle(): Promise<ImportReport | undefined> {
    return this.running;
  }

  private async runOnce(): Promise<ImportReport | undefined> {
    if (this.isDisposed || !this.enabled || !(await this.history.sessionFiles())) {
      return undefined;
    }
    const target = this.history.lastTarget() ?? this.catalog.folders()[0]?.uri;
    if (target === undefined) {
      return undefined;
    }
    try {
      const report = await this.history.importInto({ target, skipUnchanged: true, quiet: true });
      if (report.failed.length > 0) {
        this.notifyOnce('files', vscode.l10n.t('Multichat could not import {0} of the Copilot Chat history; the log names them.', report.failed.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', report.failed.length)));
      }
      return report;
    } catch (error) {
      this.logger.error('import', 'could not follow the Copilot Chat history', error);
      this.notifyOnce('run', vscode.l10n.t('Multichat could not import the Copilot Chat history: {0}', asSentence(reasonForUser(error))));
      return undefined;
    }
  }

  private notifyOnce(kind: FailureKind, message: string): void {
    if (!this.notified.has(kind)) {
      this.notified.add(kind);
      void showWithLog(this.logger, 'warning', message);
    }
  }
}
