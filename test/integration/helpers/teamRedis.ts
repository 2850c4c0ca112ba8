// Points the window at a team Redis through its settings and SecretStorage (as a user would), and
// back. Suites that share through Redis share the host with the rest, so each one disconnects when done.
import * as vscode from 'vscode';
import type { SharingTestApi } from '../../../src/extension/sharing/registerSharing';
import { waitFor } from './waitFor';

const TARGET = vscode.ConfigurationTarget.Workspace;

function redisSettings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('multichat.redis');
}

/** Connects to the server on `port` under `namespace`, and resolves once the status bar says connected. */
export async function connectTeamRedis(sharing: SharingTestApi, team: { port: number; namespace: string; password: string }): Promise<void> {
  await vscode.commands.executeCommand('multichat.setRedisPassword', team.password);
  await redisSettings().update('namespace', team.namespace, TARGET);
  await redisSettings().update('url', `redis://127.0.0.1:${team.port}`, TARGET);
  await waitFor('the connection to Redis', () => sharing.status(), (status) => status.state === 'connected', 30_000);
}

/** Back to no team: the settings and the stored password cleared, and the editors closed. */
export async function disconnectTeamRedis(): Promise<void> {
  await redisSettings().update('url', undefined, TARGET);
  await redisSettings().update('namespace', undefined, TARGET);
  await vscode.commands.executeCommand('multichat.setRedisPassword', '');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
