import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { TeamSession } from '../../stores/shared/sessionSharing';
import { DisposableObject } from '../lifecycle';
import { Logger } from '../logger';
import { messageCount } from '../tree/counts';
import { relativeTime } from '../tree/relativeTime';
import { changedRows, itemLook } from '../tree/treeRedraw';
import { WorkspaceStores } from '../workspaceStores';

// The Shared view: every session in the team's namespace, from every editor — who wrote last and
// when, how many messages, and a live mark on those changing right now. One list for the window,
// whatever its folders (they share one namespace). Refreshed when the namespace changes, a burst
// of changes (a streamed reply) at most a few times a second, each row in place where it can be
// (treeRedraw.ts): a row VS Code redraws is one it forgets for a moment, context menu included.

export const SHARED_VIEW_ID = 'multichat.shared';
export const OPEN_SHARED_COMMAND = 'multichat.openSharedSession';
const STATE_KEY = 'multichat.shared.state';
/** A session that changed this recently is marked live. */
const LIVE_MS = 60_000;
const REFRESH_DELAY_MS = 250;

export type SharedViewState = 'notConnected' | 'empty' | 'ready' | 'error';

/** One per session, updated in place from list to list (VS Code redraws a row in place only for the element it holds). */
export interface SharedNode {
  session: TeamSession;
  live: boolean;
}

export function isSharedNode(value: unknown): value is SharedNode {
  return typeof value === 'object' && value !== null && 'session' in value && typeof (value as SharedNode).session?.summary?.id === 'string';
}

export class SharedTreeProvider extends DisposableObject implements vscode.TreeDataProvider<SharedNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<SharedNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private nodes: SharedNode[] = [];
  /** What each node's item showed when last handed out. */
  private readonly drawn = new WeakMap<SharedNode, string>();
  private state: SharedViewState | undefined;
  private readonly changedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private liveTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> = Promise.resolve();

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly logger: Logger,
  ) {
    super();
    this._register(
      stores.onDidChangeSharing(({ event }) => {
        if (event.kind === 'team' && 'sessionId' in event.change) {
          this.changedAt.set(event.change.sessionId, Date.now());
        }
        this.schedule();
      }),
    );
    this._register(stores.onDidChangeStores(() => this.schedule()));
    this._register({ dispose: () => (clearTimeout(this.timer), clearTimeout(this.liveTimer)) });
  }

  /** The view's rows as they are now, after any scheduled refresh. */
  async snapshot(): Promise<{ state: SharedViewState | undefined; nodes: SharedNode[] }> {
    await this.loading;
    return { state: this.state, nodes: [...this.nodes] };
  }

  refresh(): Promise<void> {
    clearTimeout(this.timer);
    this.loading = this.loading.then(() => this.load());
    return this.loading;
  }

  getChildren(node?: SharedNode): SharedNode[] {
    return node ? [] : this.nodes;
  }

  getTreeItem(node: SharedNode): vscode.TreeItem {
    const item = sharedTreeItem(node);
    this.drawn.set(node, itemLook(item));
    return item;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private async load(): Promise<void> {
    // Opens the folders' stores if nothing has yet (the view may be the first thing shown).
    await Promise.all(this.stores.folders().map((folder) => this.stores.storeFor(folder).catch(() => undefined)));
    const hybrids = await this.stores.openHybrids();
    const connected = hybrids.find(({ store }) => store.sharing.status().remote.state === 'connected');
    if (!connected) {
      this.show('notConnected', []);
      return;
    }
    try {
      // One namespace, one list; whether a session is mirrored here depends on every folder's store.
      const team = (await connected.store.sharing.team()).map((session) => ({
        ...session,
        mode: session.mode ?? hybrids.map(({ store }) => store.sharing.modeOf(session.summary.id)).find(Boolean),
      }));
      const now = Date.now();
      this.show(team.length === 0 ? 'empty' : 'ready', team.map((session) => ({ session, live: now - (this.changedAt.get(session.summary.id) ?? 0) < LIVE_MS })));
      this.scheduleLiveExpiry();
    } catch (error) {
      this.logger.warn('sharing', `could not list the shared sessions: ${describeError(error)}`);
      this.show('error', this.nodes);
    }
  }

  /** A live mark fades once its session has been quiet for a while. */
  private scheduleLiveExpiry(): void {
    clearTimeout(this.liveTimer);
    if (this.nodes.some((node) => node.live)) {
      this.liveTimer = setTimeout(() => void this.refresh(), LIVE_MS);
    }
  }

  private show(state: SharedViewState, listed: SharedNode[]): void {
    const keyOf = (node: SharedNode) => node.session.summary.id;
    const previous = new Map(this.nodes.map((node) => [keyOf(node), node]));
    const before = this.nodes.map((node) => ({ key: keyOf(node), look: this.drawn.get(node) }));
    this.nodes = listed.map((node) => {
      const kept = previous.get(keyOf(node));
      return kept ? Object.assign(kept, { session: node.session, live: node.live }) : node;
    });
    if (state !== this.state) {
      this.state = state;
      void vscode.commands.executeCommand('setContext', STATE_KEY, state);
    }
    const rows = changedRows(before, this.nodes.map((node) => ({ key: keyOf(node), look: this.drawn.has(node) ? itemLook(sharedTreeItem(node)) : undefined })));
    if (rows === 'all') {
      this._onDidChangeTreeData.fire(undefined);
    } else if (rows.length > 0) {
      this._onDidChangeTreeData.fire(this.nodes.filter((node) => rows.includes(keyOf(node))));
    }
  }
}

function sharedTreeItem(node: SharedNode): vscode.TreeItem {
  const { summary, lastAuthor, mode } = node.session;
  const item = new vscode.TreeItem(summary.title, vscode.TreeItemCollapsibleState.None);
  item.id = `shared/${summary.id}`;
  const when = relativeTime(summary.lastMessageAt, new Date());
  item.description = [lastAuthor, when, messageCount(summary.messageCount)].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon(node.live ? 'broadcast' : mode ? 'cloud-download' : 'cloud');
  item.contextValue = mode ? 'teamSession.mirrored' : 'teamSession';
  item.tooltip = [
    summary.title,
    lastAuthor ? vscode.l10n.t('Last written by {0}, {1}', lastAuthor, when) : vscode.l10n.t('Last written {0}', when),
    messageCount(summary.messageCount),
    node.live ? vscode.l10n.t('Changing now') : undefined,
    mode === 'shared' ? vscode.l10n.t('Shared from here') : mode === 'followed' ? vscode.l10n.t('Followed here') : vscode.l10n.t('Not opened here yet')
  ].filter(Boolean).join('\n');
  item.command = { command: OPEN_SHARED_COMMAND, title: vscode.l10n.t('Open Shared Session'), arguments: [summary.id] };
  return item;
}
