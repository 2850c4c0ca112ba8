import { SessionRef } from '../sessionRef';
import { SessionEntry, SessionGroup } from './grouping';

// The elements of the Sessions tree. Commands receive these from context menus, so session
// nodes carry a SessionRef that the commands use directly. The tree provider keeps one node per
// tree item id and updates its data in place (`group`, `entry`, `remaining`): VS Code redraws a row
// in place only when told about the very element it holds.

export interface GroupNode {
  readonly kind: 'group';
  group: SessionGroup;
}

export interface SessionNode {
  readonly kind: 'session';
  readonly ref: SessionRef;
  entry: SessionEntry;
  readonly parent: GroupNode;
}

/** "Show more…" at the end of a long group: only a page of each group is sent to the tree. */
export interface MoreNode {
  readonly kind: 'more';
  readonly parent: GroupNode;
  remaining: number;
}

export type SessionsNode = GroupNode | SessionNode | MoreNode;

export function isSessionNode(value: unknown): value is SessionNode {
  return typeof value === 'object' && value !== null && (value as Partial<SessionNode>).kind === 'session';
}

export function isGroupNode(value: unknown): value is GroupNode {
  return typeof value === 'object' && value !== null && (value as Partial<GroupNode>).kind === 'group';
}

export function sessionNode(entry: SessionEntry, parent: GroupNode): SessionNode {
  return { kind: 'session', ref: { folder: entry.folder.uri, sessionId: entry.summary.id }, entry, parent };
}

/** Each node's item id: unique in the tree, and the same for the same group, session or "Show more" row across redraws. */
export function treeItemId(node: SessionsNode): string {
  switch (node.kind) {
    case 'group':
      return `group:${node.group.id}`;
    case 'session':
      // Unique per group: in tag mode one session shows under each of its tags.
      return `${node.parent.group.id}/${node.entry.folder.uri}/${node.entry.summary.id}`;
    case 'more':
      return `more:${node.parent.group.id}`;
  }
}
