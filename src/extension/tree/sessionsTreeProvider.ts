import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { Logger } from '../logger';
import { groupSessions } from './grouping';
import { DisposableObject } from '../lifecycle';
import { GroupNode, MoreNode, SessionNode, SessionsNode, sessionNode } from './nodes';
import { SessionRef } from '../sessionRef';
import { SessionCatalog } from './sessionCatalog';
import { ItemContext, groupTreeItem, moreTreeItem, sessionTooltip, sessionTreeItem } from './treeItems';
import { SessionsViewState } from './viewState';

/** Sessions sent per page of a group; "Show more" doubles what a group shows. */
export const PAGE_SIZE = 250;

/**
 * The Sessions tree. Works from the catalog's cached summaries only: grouping is one pass over
 * them, a group's children are built when it is expanded (collapsed groups cost nothing), long
 * groups are paged, and the full session is loaded only to preview it in a tooltip on hover.
 */
export class SessionsTreeProvider extends DisposableObject implements vscode.TreeDataProvider<SessionsNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<SessionsNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private groupNodes: GroupNode[] = [];
  private readonly shownPerGroup = new Map<string, number>();
  /** The children handed to the tree, kept so that reveal() gets the very nodes the tree knows. */
  private readonly childrenOf = new Map<string, SessionsNode[]>();
  private itemContext: ItemContext = { now: new Date(), showFolder: false };

  constructor(
    private readonly catalog: SessionCatalog,
    private readonly state: SessionsViewState,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Regroups from the catalog and redraws the whole tree. */
  refresh(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  async getChildren(node?: SessionsNode): Promise<SessionsNode[]> {
    if (!node) {
      return this.rootChildren();
    }
    return node.kind === 'group' ? this.groupChildren(node) : [];
  }

  getTreeItem(node: SessionsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return groupTreeItem(node, this.state.groupExpanded(node.group.id));
      case 'session':
        return sessionTreeItem(node, this.itemContext);
      case 'more':
        return moreTreeItem(node, this.shownPerGroup.get(node.parent.group.id) ?? PAGE_SIZE);
    }
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
    if (this.groupNodes.length === 0) {
      await this.rootChildren();
    }
    for (const group of this.groupNodes) {
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
    const node = this.groupNodes.find((each) => each.group.id === groupId);
    if (node) {
      const shown = this.shownPerGroup.get(groupId) ?? PAGE_SIZE;
      this.shownPerGroup.set(groupId, shown * 2);
      this._onDidChangeTreeData.fire(node);
    }
  }

  private async rootChildren(): Promise<GroupNode[]> {
    if (!this.catalog.isLoaded) {
      await this.catalog.whenIdle();
    }
    const now = new Date();
    this.itemContext = { now, showFolder: this.catalog.folders().length > 1 };
    const groups = groupSessions(this.catalog.entries(), { now, mode: this.state.groupMode, tagFilters: this.state.tagFilters, sourceFilters: this.state.sourceFilters });
    this.groupNodes = groups.map((group) => ({ kind: 'group', group }));
    this.childrenOf.clear();
    return this.groupNodes;
  }

  private groupChildren(node: GroupNode): SessionsNode[] {
    const { entries, id } = node.group;
    const shown = this.shownPerGroup.get(id) ?? PAGE_SIZE;
    const children: SessionsNode[] = entries.slice(0, shown).map((entry) => sessionNode(entry, node));
    if (entries.length > shown) {
      const more: MoreNode = { kind: 'more', parent: node, remaining: entries.length - shown };
      children.push(more);
    }
    this.childrenOf.set(id, children);
    return children;
  }
}
