import * as vscode from 'vscode';
import { Logger } from '../logger';
import { DisposableObject } from '../lifecycle';
import { SessionRef, sessionKey } from '../sessionRef';
import { SessionsNode } from './nodes';
import { SessionsTreeProvider } from './sessionsTreeProvider';

/**
 * Selection follows the active chat tab, as the Explorer follows the active editor: the tab's
 * session is revealed and selected in the Sessions view, without taking focus, and only while the
 * view is visible (it catches up when shown).
 */
export class ActiveSessionFollower extends DisposableObject {
  private active: SessionRef | undefined;

  constructor(
    private readonly provider: SessionsTreeProvider,
    private readonly treeView: vscode.TreeView<SessionsNode>,
    private readonly logger: Logger,
  ) {
    super();
    this._register(
      treeView.onDidChangeVisibility(({ visible }) => {
        if (visible) {
          void this.reveal();
        }
      }),
    );
  }

  /** Starts following the chat tabs' activations. */
  follow(onDidActivate: vscode.Event<SessionRef>): vscode.Disposable {
    return onDidActivate((ref) => {
      this.active = ref;
      void this.reveal();
    });
  }

  private async reveal(): Promise<void> {
    const ref = this.active;
    if (!ref || !this.treeView.visible || this.isSelected(ref)) {
      return;
    }
    try {
      const node = await this.provider.nodeFor(ref);
      if (node && this.active === ref && !this.isDisposed) {
        await this.treeView.reveal(node, { select: true, focus: false });
      }
    } catch (error) {
      // The tree was redrawn meanwhile, say: the next activation tries again.
      this.logger.warn('sessions', `could not reveal the active session: ${String(error)}`);
    }
  }

  private isSelected(ref: SessionRef): boolean {
    const key = sessionKey(ref);
    return this.treeView.selection.some((node) => node.kind === 'session' && sessionKey(node.ref) === key);
  }
}
