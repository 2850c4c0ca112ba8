import * as vscode from 'vscode';
import { describeFinding } from '../../core/secrets/secretScan';
import { HeldBack } from '../../stores/shared/pushOutbox';
import { RemoteStatus } from '../../stores/shared/remoteLink';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';
import { WorkspaceStores } from '../workspaceStores';

// Says what the user must know about sharing, once each: why Redis cannot be reached (a wrong
// password, an unreachable host, a TLS problem — not again on every retry, and again only after it
// has worked in between), and a later message held back because it holds a credential.

export const SET_PASSWORD_COMMAND = 'multichat.setRedisPassword';

export class SharingNotifier extends DisposableObject {
  private readonly said = new Set<string>();

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly logger: Logger,
  ) {
    super();
    this._register(
      stores.onDidChangeSharing(({ folder, event }) => {
        if (event.kind === 'status') {
          this.connection(event.status.remote);
        } else if (event.kind === 'held') {
          void this.held(folder, event.held);
        }
      }),
    );
  }

  private connection(status: RemoteStatus): void {
    if (status.state === 'connected') {
      this.logger.info('sharing', 'connected to the team Redis');
      this.said.clear();
      return;
    }
    if (status.state !== 'offline' || !status.error || this.said.has(status.error)) {
      return;
    }
    this.said.add(status.error);
    this.logger.warn('sharing', `the team Redis is unreachable: ${status.error}`);
    const actions = status.needsUser ? [vscode.l10n.t('Set Redis Password'), vscode.l10n.t('Open Settings')] : [vscode.l10n.t('Show Log')];
    void vscode.window
      .showErrorMessage(vscode.l10n.t('Multichat cannot reach the team Redis: {0}. Sessions stay on this machine and are pushed once it answers.', status.error), ...actions)
      .then((choice) => {
        if (choice === actions[0] && status.needsUser) {
          void vscode.commands.executeCommand(SET_PASSWORD_COMMAND);
        } else if (choice === vscode.l10n.t('Open Settings')) {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'multichat.redis');
        } else if (choice) {
          this.logger.show();
        }
      });
  }

  private async held(folder: vscode.WorkspaceFolder, held: HeldBack): Promise<void> {
    const store = await this.stores.storeFor(folder);
    const title = (await store.get(held.sessionId))?.title ?? held.sessionId;
    this.logger.warn('sharing', `not shared: in session ${held.sessionId}, ${describeFinding(held.finding)}`);
    const redact = vscode.l10n.t('Redact and Share');
    const allow = vscode.l10n.t('Share Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('A message in “{0}” was not shared: {1}.', title, describeFinding(held.finding)),
      redact,
      allow,
    );
    const hybrids = await this.stores.openHybrids();
    const hybrid = hybrids.find((each) => each.folder.uri.toString() === folder.uri.toString());
    if (choice && hybrid) {
      hybrid.store.sharing.startSharing(held.sessionId, choice === redact ? 'redact' : 'allow');
    }
  }
}
