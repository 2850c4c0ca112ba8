// The offer, once per workspace, to import its Copilot Chat history: a notification that never
// blocks anything and never imports by itself. "Not Now" (or closing it) asks again when the
// window next opens; any other answer, or importing the history some other way, ends the asking.
import * as vscode from 'vscode';
import { ImportDeps, importCopilotHistory } from '../commands/importCommand';
import { FOLLOW_SETTING, followSettings } from './copilotFollower';
import { shouldOfferImport } from './copilotHistory';

export type OfferOutcome = 'not-offered' | 'import' | 'follow' | 'not-now' | 'never';

export class CopilotImportOffer {
  /** Shown once per window at most, whatever the answer. */
  private offered = false;

  constructor(private readonly deps: ImportDeps) {}

  /** Offers the import when there is history to import and the user was not asked yet; resolves with the answer. */
  async offer(): Promise<OfferOutcome> {
    const { history } = this.deps;
    const sessionFiles = await history.sessionFiles();
    const following = followSettings().get<boolean>(FOLLOW_SETTING, false);
    if (this.offered || !shouldOfferImport({ sessionFiles, asked: history.answered, following }) || sessionFiles === undefined) {
      return 'not-offered';
    }
    this.offered = true;
    const answers = { import: vscode.l10n.t('Import'), follow: vscode.l10n.t('Keep Following'), never: vscode.l10n.t('Never for This Workspace') };
    const sessions = sessionFiles === 1 ? vscode.l10n.t('1 Copilot Chat session') : vscode.l10n.t('{0} Copilot Chat sessions', sessionFiles.toLocaleString('en-US'));
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('Import {0} of this workspace into Multichat?', sessions),
      answers.import,
      answers.follow,
      vscode.l10n.t('Not Now'),
      answers.never,
    );
    if (answer === answers.never) {
      await history.markAnswered();
      return 'never';
    }
    if (answer !== answers.import && answer !== answers.follow) {
      return 'not-now';
    }
    // Imported in view the first time, even when following: the follower then finds every file unchanged.
    if (!(await importCopilotHistory(this.deps, undefined))) {
      return 'not-now';
    }
    if (answer === answers.import) {
      return 'import';
    }
    await followSettings().update(FOLLOW_SETTING, true, vscode.ConfigurationTarget.Workspace);
    return 'follow';
  }
}
