import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { remoteSpecFromSettings } from '../../stores/shared/remoteSettings';
import { CommandSpec, stringArg } from '../commands/commandRunner';
import { WorkspaceStores } from '../workspaceStores';
import { SET_PASSWORD_COMMAND } from './sharingNotifier';
import { SHARING_MENU_COMMAND } from './sharingStatusBar';
import { TeamConnection } from './teamConnection';

// Connect / Disconnect Redis, Set Redis Password, Sync Now, and the sharing menu behind the status
// bar item. The password is asked for in a password box and goes straight to SecretStorage.

export interface ConnectionCommandDeps {
  stores: WorkspaceStores;
  team: TeamConnection;
}

export function connectCommand(deps: ConnectionCommandDeps): CommandSpec {
  return {
    id: 'multichat.connectRedis',
    failure: 'connect to the team Redis',
    run: async () => {
      if (!deps.team.isConfigured() && !(await askForUrl())) {
        return;
      }
      await deps.team.connect();
      for (const { store } of await deps.stores.openHybrids()) {
        await store.sharing.reconnect();
      }
    },
  };
}

/** Asks for the Redis URL (without a password) and saves it in the workspace's settings. */
async function askForUrl(): Promise<boolean> {
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('Connect to the Team Redis'),
    prompt: vscode.l10n.t('The Redis URL, without a password (set that with "Multichat: Set Redis Password").'),
    placeHolder: 'redis://redis.internal:6379',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        remoteSpecFromSettings({ url: value, namespace: 'multichat', ttlDays: 0 });
        return undefined;
      } catch (error) {
        return describeError(error);
      }
    },
  });
  if (!url) {
    return false;
  }
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('multichat.redis').update('url', url.trim(), target);
  return true;
}

export function disconnectCommand(deps: ConnectionCommandDeps): CommandSpec {
  return { id: 'multichat.disconnectRedis', failure: 'disconnect from the team Redis', run: () => deps.team.disconnect() };
}

export function setPasswordCommand(deps: ConnectionCommandDeps): CommandSpec {
  return {
    id: SET_PASSWORD_COMMAND,
    failure: 'store the Redis password',
    // A caller (a script, another extension) may pass the password instead of typing it.
    run: async (passwordArg?: unknown) => {
      const password =
        stringArg(passwordArg) ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Redis Password'),
          prompt: vscode.l10n.t('Kept in the system keychain through VS Code; leave empty to remove it.'),
          password: true,
          ignoreFocusOut: true,
        }));
      if (password !== undefined) {
        await deps.team.setPassword(password);
      }
    },
  };
}

export function syncNowCommand(deps: ConnectionCommandDeps): CommandSpec {
  return {
    id: 'multichat.syncNow',
    failure: 'sync with the team Redis',
    run: async () => {
      const hybrids = await deps.stores.openHybrids();
      const reports = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Syncing with the team Redis') }, () =>
        Promise.all(hybrids.map(({ store }) => store.sharing.sync())),
      );
      const sum = (pick: (report: (typeof reports)[number]) => number): number => reports.reduce((total, report) => total + pick(report), 0);
      vscode.window.setStatusBarMessage(
        vscode.l10n.t('Multichat: pushed {0}, pulled {1}, pending {2}', sum((r) => r.pushed), sum((r) => r.pulled), sum((r) => r.pending)),
        5_000,
      );
      return reports;
    },
  };
}

const MENU: { label: string; command: string; when: (team: TeamConnection) => boolean }[] = [
  { label: '$(cloud) Connect Redis', command: 'multichat.connectRedis', when: (team) => !team.isConfigured() || team.isDisconnected() },
  { label: '$(sync) Sync Now', command: 'multichat.syncNow', when: (team) => team.isConfigured() && !team.isDisconnected() },
  { label: '$(cloud-download) Open Shared Session…', command: 'multichat.openSharedSession', when: (team) => team.isConfigured() },
  { label: '$(key) Set Redis Password…', command: SET_PASSWORD_COMMAND, when: () => true },
  { label: '$(debug-disconnect) Disconnect Redis', command: 'multichat.disconnectRedis', when: (team) => team.isConfigured() && !team.isDisconnected() },
  { label: '$(output) Show Log', command: 'multichat.showLog', when: () => true },
];

export function sharingMenuCommand(deps: ConnectionCommandDeps): CommandSpec {
  return {
    id: SHARING_MENU_COMMAND,
    failure: 'open the sharing menu',
    run: async () => {
      const choice = await vscode.window.showQuickPick(
        MENU.filter((entry) => entry.when(deps.team)),
        { placeHolder: vscode.l10n.t('Multichat Sharing') },
      );
      if (choice) {
        await vscode.commands.executeCommand(choice.command);
      }
    },
  };
}
