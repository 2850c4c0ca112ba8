import * as vscode from 'vscode';
import { Session, SessionSummary } from '../../core/model';
import { GroupNode, MoreNode, SessionNode } from './nodes';
import { previewMessages } from './preview';
import { countOf, describeSession, relativeTime } from './relativeTime';

// Builds the TreeItems of the Sessions view from nodes; the tooltip is filled in on hover.

export const OPEN_SESSION_COMMAND = 'multichat.openSession';
export const SHOW_MORE_COMMAND = 'multichat.showMoreSessions';

export interface ItemContext {
  now: Date;
  /** Multi-root workspaces show each session's folder name. */
  showFolder: boolean;
}

export function groupTreeItem(node: GroupNode): vscode.TreeItem {
  const { group } = node;
  const state = group.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(group.label, state);
  item.id = `group:${group.id}`;
  item.description = String(group.entries.length);
  item.tooltip = `${group.label}: ${countOf(group.entries.length, 'session')}`;
  item.contextValue = group.tag === undefined ? 'group' : 'group.tag';
  item.iconPath = groupIcon(group.id);
  return item;
}

function groupIcon(id: string): vscode.ThemeIcon {
  if (id.startsWith('date:pinned')) {
    return new vscode.ThemeIcon('pinned');
  }
  return new vscode.ThemeIcon(id.startsWith('date:') ? 'calendar' : 'tag');
}

export function sessionTreeItem(node: SessionNode, context: ItemContext): vscode.TreeItem {
  const { summary, folder } = node.entry;
  const item = new vscode.TreeItem(summary.title, vscode.TreeItemCollapsibleState.None);
  // Unique per group: in tag mode one session shows under each of its tags.
  item.id = `${node.parent.group.id}/${folder.uri}/${summary.id}`;
  item.description = describeSession(summary, context.now, context.showFolder ? folder.name : undefined);
  item.iconPath = new vscode.ThemeIcon(summary.pinned ? 'pinned' : 'comment-discussion');
  item.contextValue = sessionContextValue(summary);
  item.command = { command: OPEN_SESSION_COMMAND, title: 'Open Session', arguments: [node.ref] };
  item.accessibilityInformation = {
    label: `${summary.title}${summary.pinned ? ', pinned' : ''}, ${countOf(summary.messageCount, 'message')}, updated ${relativeTime(summary.lastMessageAt, context.now)}`,
  };
  return item;
}

/** `session`, `session.pinned`, with `.tagged` appended when it has tags (menus match with regexes). */
export function sessionContextValue(summary: Pick<SessionSummary, 'pinned' | 'tags'>): string {
  return `session${summary.pinned ? '.pinned' : ''}${summary.tags.length > 0 ? '.tagged' : ''}`;
}

export function moreTreeItem(node: MoreNode, pageSize: number): vscode.TreeItem {
  const item = new vscode.TreeItem(`Show ${Math.min(node.remaining, pageSize).toLocaleString('en-US')} more…`);
  item.id = `more:${node.parent.group.id}`;
  item.description = `${node.remaining.toLocaleString('en-US')} not shown`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'more';
  item.command = { command: SHOW_MORE_COMMAND, title: 'Show More', arguments: [node.parent.group.id] };
  return item;
}

/**
 * A preview of the session's last messages. Chat content is untrusted, so every piece of it goes
 * through appendText (escaped); no command links, HTML or theme icons are enabled.
 */
export function sessionTooltip(session: Session, context: ItemContext): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  tooltip.appendMarkdown('**').appendText(session.title).appendMarkdown('**\n\n');
  const details = [countOf(session.messages.length, 'message'), `updated ${relativeTime(session.lastMessageAt, context.now)}`];
  if (session.tags.length > 0) {
    details.push(`tags: ${session.tags.join(', ')}`);
  }
  tooltip.appendText(details.join(' · ')).appendMarkdown('\n\n---\n\n');
  const lines = previewMessages(session.messages);
  if (lines.length === 0) {
    tooltip.appendText('No messages yet.');
  }
  for (const line of lines) {
    tooltip.appendMarkdown('**').appendText(line.role).appendMarkdown(':** ').appendText(line.text).appendMarkdown('\n\n');
  }
  return tooltip;
}
