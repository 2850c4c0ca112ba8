import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { Logger } from '../logger';
import { groupSessions } from './grouping';
import { DisposableObject } from '../lifecycle';
import { GroupNode, MoreNode, SessionNode, SessionsNode, sessionNode, treeItemId } from './nodes';
import { SessionRef } from '../sessionRef';
import { SessionCatalog } from './sessionCatalog';
import { ItemContext, groupTreeItem, moreTreeItem, sessionTooltip, sessionTreeItem } from './treeItems';
import { DrawnGroup, itemLook, planRedraw } from './treeRedraw';
import { SessionsViewState } from './viewState';

/** Sessions sent per page of a group; "Show more" doubles what a group shows. */
export const PAGE_SIZE = 250;

/**
 * The Sessions tree. Works from the catalog's cached summaries only: grouping is one pass over
 * them, a group's children are built when it is expanded (collapsed groups cost nothing), long
 * groups are paged, and the full session is loaded only to preview it in a tooltip on hover.
 * A change redraws only what it changed (treeRedraw.ts), so a row keeps working, its context menu
 * included, while other sessions are being written.
 */
export class SessionsTreeProvider extends DisposableObject implements vscode.TreeDataProvider<SessionsNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<SessionsNode | SessionsNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  /** The groups as last laid out from the catalog; undefined until the tree first asks for them. */
  private groupNodes: GroupNode[] | undefined;
  private readonly shownPerGroup = new Map<string, number>();
  /** The shown page of each group asked for, kept so that VS Code and reveal() get the very nodes laid out. */
  private readonly childrenOf = new Map<string, SessionsNode[]>();
  /** The nodes laid out, by item id: the next layout updates them in place. */
  private nodes = new Map<string, SessionsNode>();
  /** What each node's item showed when last handed out. */
  private readonly drawn = new WeakMap<SessionsNode, string>();
  private itemContext: ItemContext = { now: new Date(), showFolder: false };

  constructor(
    private readonly catalog: SessionCatalog,
    private readonly state: SessionsViewState,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Regroups from the catalog (and the clock) and redraws what that changed. */
  refresh(): void {
    if (!this.groupNodes) {
      this._onDidChangeTreeData.fire(undefined);
      return;
    }
    const before = this.drawnLayout((node) => this.drawn.get(node));
    this.layOut();
    const plan = planRedraw(before, this.drawnLayout((node) => (this.drawn.has(node) ? itemLook(this.itemFor(node)) : undefined)));
    if (plan === 'all') {
      this._onDidChangeTreeData.fire(undefined);
    } else if (plan.length > 0) {
      this._onDidChangeTreeData.fire(plan.flatMap((id) => this.nodes.get(id) ?? []));
    }
  }

  async getChildren(node?: SessionsNode): Promise<SessionsNode[]> {
    if (!node) {
      return this.rootChildren();
    }
    return node.kind === 'group' ? (this.childrenOf.get(node.group.id) ?? this.groupChildren(node)) : [];
  }

  getTreeItem(node: SessionsNode): vscode.TreeItem {
    const item = this.itemFor(node);
    this.drawn.set(node, itemLook(item));
    return item;
  }

  getParent(node: SessionsNode): SessionsNode | undefined {
    return node.kind === 'group' ? undefined : node.parent;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: SessionsNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'session' || item.tooltip !== undefined) {
      return item;
    }
    try {
      const session = await (await this.catalog.storeFor(node.ref.folder)).get(node.ref.sessionId);
      if (session && !token.isCancellationRequested) {
        item.tooltip = sessionTooltip(session, this.itemContext);
      }
    } catch (error) {
      this.logger.warn('sessions', `could not load the preview of ${node.ref.sessionId}: ${describeError(error)}`);
    }
    return item;
  }

  /** The node of a session as the tree shows it (its first group), if it is on a shown page. */
  async nodeFor(ref: Pick<SessionRef, 'folder' | 'sessionId'>): Promise<SessionNode | undefined> {
    for (const group of await this.rootChildren()) {
      const found = (this.childrenOf.get(group.group.id) ?? this.groupChildren(group)).find(
        (node): node is SessionNode => node.kind === 'session' && node.ref.folder === ref.folder && node.ref.sessionId === ref.sessionId,
      );
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  /** Shows the next page of a long group. */
  showMore(groupId: string): void {
    const node = this.groupNodes?.find((each) => each.group.id === groupId);
    if (node) {
      const shown = this.shownPerGroup.get(groupId) ?? PAGE_SIZE;
      this.shownPerGroup.set(groupId, shown * 2);
      this.groupChildren(node);
      this._onDidChangeTreeData.fire(node);
    }
  }

  private itemFor(node: SessionsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return groupTreeItem(node, this.state.groupExpanded(node.group.id));
      case 'session':
        return sessionTreeItem(node, this.itemContext);
      case 'more':
        return moreTreeItem(node, this.shownPerGroup.get(node.parent.group.id) ?? PAGE_SIZE);
    }
  }

  private async rootChildren(): Promise<GroupNode[]> {
    if (!this.catalog.isLoaded) {
      await this.catalog.whenIdle();
    }
    return this.groupNodes ?? this.layOut();
  }

  /** Groups the catalog's entries again, into the nodes laid out before wherever their item ids match. */
  private layOut(): GroupNode[] {
    const now = new Date();
    this.itemContext = { now, showFolder: this.catalog.folders().length > 1 };
    const groups = groupSessions(this.catalog.entries(), { now, mode: this.state.groupMode, tagFilters: this.state.tagFilters, sourceFilters: this.state.sourceFilters });
    const previous = this.nodes;
    const asked = new Set(this.childrenOf.keys());
    this.nodes = new Map();
    this.childrenOf.clear();
    this.groupNodes = groups.map((group) => this.keep(previous, { kind: 'group', group }, (node) => (node.group = group)));
    for (const node of this.groupNodes.filter((each) => asked.has(each.group.id))) {
      this.groupChildren(node, previous);
    }
    return this.groupNodes;
  }

  private groupChildren(node: GroupNode, previous = this.nodes): SessionsNode[] {
    const { entries, id } = node.group;
    const shown = this.shownPerGroup.get(id) ?? PAGE_SIZE;
    const children: SessionsNode[] = entries.slice(0, shown).map((entry) => this.keep(previous, sessionNode(entry, node), (kept) => (kept.entry = entry)));
    if (entries.length > shown) {
      const remaining = entries.length - shown;
      children.push(this.keep<MoreNode>(previous, { kind: 'more', parent: node, remaining }, (kept) => (kept.remaining = remaining)));
    }
    this.childrenOf.set(id, children);
    return children;
  }

  /** The node `previous` had under `fresh`'s item id, updated with its data, or else `fresh`; laid out either way. */
  private keep<T extends SessionsNode>(previous: ReadonlyMap<string, SessionsNode>, fresh: T, update: (kept: T) => void): T {
    const id = treeItemId(fresh);
    const found = previous.get(id);
    const kept = found?.kind === fresh.kind ? (found as T) : undefined;
    if (kept) {
      update(kept);
    }
    const node = kept ?? fresh;
    this.nodes.set(id, node);
    return node;
  }

  /** The groups and the rows built, by item id, with `look` for each. */
  private drawnLayout(look: (node: SessionsNode) => string | undefined): DrawnGroup[] {
    return (this.groupNodes ?? []).map((node) => ({
      key: treeItemId(node),
      look: look(node),
      rows: this.childrenOf.get(node.group.id)?.map((child) => ({ key: treeItemId(child), look: look(child) })),
    }));
  }
}
