import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { loginName } from '../../stores/shared/loginName';
import { remoteSpecFromSettings } from '../../stores/shared/remoteSettings';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';

// Whether this window shares through the team's Redis, and how to reach it: the `multichat.redis.*`
// settings, the password from VS Code's SecretStorage (the system keychain, never a setting or a
// log), and the user's own Connect / Disconnect, remembered per workspace. When any of these
// changes, the folders' stores reopen with or without their mirror.

const PASSWORD_KEY = 'multichat.redis.password';
const DISCONNECTED_KEY = 'multichat.redis.disconnected';

/** What a folder's store needs to open as a hybrid. */
export interface TeamRemote {
  spec: string;
  author: string | undefined;
  shareNewSessions: boolean;
}

export class TeamConnection extends DisposableObject {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** The remote changed: stores reopen. */
  readonly onDidChange = this._onDidChange.event;
  /** Why the settings cannot be used, said once per distinct problem. */
  private lastProblem: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('multichat.redis')) {
          this.publishConfigured();
          this._onDidChange.fire();
        }
      }),
    );
    this.publishConfigured();
    this._register(context.secrets.onDidChange((event) => event.key === PASSWORD_KEY && this._onDidChange.fire()));
  }

  /** A Redis URL is set, whether or not this window is connected. */
  isConfigured(): boolean {
    return settings().get<string>('url', '').trim().length > 0;
  }

  /** The user chose Disconnect in this workspace. */
  isDisconnected(): boolean {
    return this.context.workspaceState.get<boolean>(DISCONNECTED_KEY, false);
  }

  /** The remote to mirror through, or undefined when not configured, disconnected, or misconfigured (said once). */
  async remote(): Promise<TeamRemote | undefined> {
    if (!this.isConfigured() || this.isDisconnected()) {
      return undefined;
    }
    const config = settings();
    try {
      const spec = remoteSpecFromSettings({
        url: config.get<string>('url', ''),
        namespace: config.get<string>('namespace', 'multichat'),
        ttlDays: config.get<number>('ttlDays', 0),
        password: await this.context.secrets.get(PASSWORD_KEY),
      });
      this.lastProblem = undefined;
      return { spec, author: loginName(), shareNewSessions: config.get<boolean>('shareNewSessions', false) };
    } catch (error) {
      this.sayProblem(describeError(error));
      return undefined;
    }
  }

  async connect(): Promise<void> {
    await this.context.workspaceState.update(DISCONNECTED_KEY, undefined);
    this._onDidChange.fire();
  }

  async disconnect(): Promise<void> {
    await this.context.workspaceState.update(DISCONNECTED_KEY, true);
    this._onDidChange.fire();
  }

  /** Stores the password in SecretStorage (an empty one removes it); fires a change through secrets.onDidChange. */
  async setPassword(password: string): Promise<void> {
    if (password.length === 0) {
      await this.context.secrets.delete(PASSWORD_KEY);
    } else {
      await this.context.secrets.store(PASSWORD_KEY, password);
    }
    this.logger.info('sharing', password.length === 0 ? 'the Redis password was removed' : 'a Redis password was stored in the secret storage');
  }

  /** The Shared view shows once a Redis is configured: without one it would only say there is none. */
  private publishConfigured(): void {
    void vscode.commands.executeCommand('setContext', 'multichat.redis.configured', this.isConfigured());
  }

  private sayProblem(problem: string): void {
    this.logger.warn('sharing', `not connecting to Redis: ${problem}`);
    if (this.lastProblem !== problem) {
      this.lastProblem = problem;
      void vscode.window.showErrorMessage(vscode.l10n.t('Multichat cannot connect to Redis: {0}', problem), vscode.l10n.t('Open Settings')).then((choice) => {
        if (choice) {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'multichat.redis');
        }
      });
    }
  }
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('multichat.redis');
}
