import { SessionRef } from '../sessionRef';
import { SessionEntry, SessionGroup } from './grouping';

// The elements of the Sessions tree. Commands receive these from context menus, so session
// nodes carry a SessionRef that the commands use directly.

export interface GroupNode {
  readonly kind: 'group';
  readonly group: SessionGroup;
}

export interface SessionNode {
  readonly kind: 'session';
  readonly ref: SessionRef;
  readonly entry: SessionEntry;
  readonly parent: GroupNode;
}

/** "Show more…" at the end of a long group: only a page of each group is sent to the tree. */
export interface MoreNode {
  readonly kind: 'more';
  readonly parent: GroupNode;
  readonly remaining: number;
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
