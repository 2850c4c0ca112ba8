import * as vscode from 'vscode';
import { SessionRef } from '../sessionRef';
import { SessionsNode } from './nodes';
import { SessionsTreeProvider } from './sessionsTreeProvider';
import { SessionsViewController } from './viewController';
import { ViewStatus } from './viewState';

// What the Sessions view shows, read through the provider exactly as VS Code reads it: for
// integration tests (the extension's activate returns it in its API) and for diagnostics.

export interface TreeSnapshotItem {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  /** Set for session items. */
  ref?: SessionRef;
}

export interface TreeSnapshotGroup {
  id: string;
  label: string;
  description?: string;
  expanded: boolean;
  /** The first page of the group, with a trailing "Show N more…" item when it is longer. */
  items: TreeSnapshotItem[];
}

export interface TreeSnapshot {
  status: ViewStatus;
  /** The view's description (the tag filter) and message (stores that failed to open). */
  description?: string;
  message?: string;
  groups: TreeSnapshotGroup[];
}

export async function takeTreeSnapshot(provider: SessionsTreeProvider, controller: SessionsViewController): Promise<TreeSnapshot> {
  const groups: TreeSnapshotGroup[] = [];
  for (const group of await provider.getChildren()) {
    const item = provider.getTreeItem(group);
    const children = await provider.getChildren(group);
    groups.push({
      id: group.kind === 'group' ? group.group.id : '',
      label: labelText(item),
      description: textOf(item.description),
      expanded: item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded,
      items: children.map((child) => snapshotItem(provider, child)),
    });
  }
  return { status: controller.status(), description: controller.description(), message: controller.message(), groups };
}

function snapshotItem(provider: SessionsTreeProvider, node: SessionsNode): TreeSnapshotItem {
  const item = provider.getTreeItem(node);
  return {
    label: labelText(item),
    description: textOf(item.description),
    contextValue: item.contextValue,
    icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
    ref: node.kind === 'session' ? node.ref : undefined,
  };
}

function labelText(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function textOf(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
