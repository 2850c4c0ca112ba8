import * as vscode from 'vscode';
import { SharingStatus } from '../../stores/shared/sessionSharing';
import { DisposableObject } from '../lifecycle';
import { WorkspaceStores } from '../workspaceStores';
import { TeamConnection } from './teamConnection';

// The team connection in the status bar: connected, reconnecting, or offline with what is still to
// push. Hidden while no Redis is configured. Clicking opens the sharing menu.

export const SHARING_MENU_COMMAND = 'multichat.sharingMenu';

/** Every folder's sharing, summed: the worst connection state wins. */
export interface TeamStatus {
  state: 'off' | 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'offline';
  pending: number;
  shared: number;
  followed: number;
  error?: string;
}

const SEVERITY: TeamStatus['state'][] = ['connected', 'connecting', 'reconnecting', 'offline'];

export function combineStatuses(statuses: readonly SharingStatus[]): TeamStatus {
  const sum = (pick: (status: SharingStatus) => number): number => statuses.reduce((total, status) => total + pick(status), 0);
  const worst = statuses.reduce<SharingStatus | undefined>((found, status) => (!found || SEVERITY.indexOf(status.remote.state) > SEVERITY.indexOf(found.remote.state) ? status : found), undefined);
  return {
    state: worst?.remote.state ?? 'connecting',
    pending: sum((status) => status.pending),
    shared: sum((status) => status.shared),
    followed: sum((status) => status.followed),
    error: worst?.remote.error,
  };
}

export class SharingStatusBar extends DisposableObject {
  private readonly item = this._register(vscode.window.createStatusBarItem('multichat.sharing', vscode.StatusBarAlignment.Left, 49));
  private current: TeamStatus = { state: 'off', pending: 0, shared: 0, followed: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly team: TeamConnection,
  ) {
    super();
    this.item.name = 'Multichat Sharing';
    this.item.command = SHARING_MENU_COMMAND;
    this._register(stores.onDidChangeSharing(() => this.schedule()));
    this._register(stores.onDidChangeStores(() => this.schedule()));
    this._register(stores.onDidChangeSessions(() => this.schedule()));
    this._register(team.onDidChange(() => this.schedule()));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  status(): TeamStatus {
    return { ...this.current };
  }

  async refresh(): Promise<void> {
    this.current = await this.read();
    this.render(this.current);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), 100);
  }

  private async read(): Promise<TeamStatus> {
    if (!this.team.isConfigured()) {
      return { state: 'off', pending: 0, shared: 0, followed: 0 };
    }
    if (this.team.isDisconnected()) {
      return { state: 'disconnected', pending: 0, shared: 0, followed: 0 };
    }
    const hybrids = await this.stores.openHybrids();
    return combineStatuses(hybrids.map(({ store }) => store.sharing.status()));
  }

  private render(status: TeamStatus): void {
    if (status.state === 'off') {
      this.item.hide();
      return;
    }
    const { text, tooltip } = describeStatus(status);
    this.item.text = text;
    this.item.tooltip = [tooltip, vscode.l10n.t('Click for sharing actions.')].join('\n');
    this.item.backgroundColor = status.state === 'offline' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

function describeStatus(status: TeamStatus): { text: string; tooltip: string } {
  const counts = vscode.l10n.t('{0} shared, {1} followed.', status.shared, status.followed);
  const pending = status.pending > 0 ? vscode.l10n.t(' · {0} pending', status.pending) : '';
  switch (status.state) {
    case 'connected':
      return { text: `$(cloud) Redis${pending}`, tooltip: `${vscode.l10n.t('Connected to the team Redis.')} ${counts}` };
    case 'connecting':
      return { text: '$(sync~spin) Redis', tooltip: vscode.l10n.t('Connecting to the team Redis…') };
    case 'reconnecting':
      return { text: `$(sync~spin) Redis${pending}`, tooltip: `${vscode.l10n.t('Reconnecting to the team Redis. Changes are kept here and pushed once it answers.')} ${counts}` };
    case 'disconnected':
      return { text: '$(debug-disconnect) Redis', tooltip: vscode.l10n.t('Disconnected from the team Redis: sessions stay on this machine.') };
    default:
      // Not $(cloud-offline): VS Code has no such codicon, and the item showed no icon at all.
      return {
        text: `$(warning) Redis offline${pending}`,
        tooltip: `${vscode.l10n.t('The team Redis is unreachable: {0}', status.error ?? '')} ${vscode.l10n.t('Changes are kept here and pushed once it answers.')} ${counts}`,
      };
  }
}
