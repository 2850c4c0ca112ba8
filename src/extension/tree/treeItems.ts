import * as vscode from 'vscode';
import { Session, SessionSummary } from '../../core/model';
import type { ShareMode } from '../../stores/shared/sharingRecords';
import { messageCount, sessionCount } from './counts';
import { PINNED_GROUP_ID } from './grouping';
import { GroupNode, MoreNode, SessionNode, treeItemId } from './nodes';
import { PreviewBlock } from './plainPreview';
import { previewMessages } from './preview';
import { describeSession, relativeTime } from './relativeTime';
import { importedLook } from './sessionSources';

// Builds the TreeItems of the Sessions view from nodes; the tooltip is filled in on hover.

export const OPEN_SESSION_COMMAND = 'multichat.openSession';
export const SHOW_MORE_COMMAND = 'multichat.showMoreSessions';

export interface ItemContext {
  now: Date;
  /** Multi-root workspaces show each session's folder name. */
  showFolder: boolean;
}

/** `expanded`: the user's own last choice for the group, when they made one. */
export function groupTreeItem(node: GroupNode, expanded = node.group.expanded): vscode.TreeItem {
  const { group } = node;
  const state = expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(group.label, state);
  item.id = treeItemId(node);
  item.description = String(group.entries.length);
  item.tooltip = `${group.label}: ${sessionCount(group.entries.length)}`;
  item.contextValue = group.tag === undefined ? 'group' : 'group.tag';
  item.iconPath = groupIcon(group.id);
  return item;
}

function groupIcon(id: string): vscode.ThemeIcon {
  if (id === PINNED_GROUP_ID) {
    return new vscode.ThemeIcon('pinned');
  }
  return new vscode.ThemeIcon(id.startsWith('date:') ? 'calendar' : 'tag');
}

export function sessionTreeItem(node: SessionNode, context: ItemContext): vscode.TreeItem {
  const { summary, folder } = node.entry;
  const item = new vscode.TreeItem(summary.title, vscode.TreeItemCollapsibleState.None);
  item.id = treeItemId(node);
  const described = describeSession(summary, context.now, context.showFolder ? folder.name : undefined, messageCount);
  // The group already names one tag in tag mode; the others, and all of them by date, show here.
  const tags = summary.tags.filter((tag) => tag !== node.parent.group.tag);
  const marks = sessionMarks(node.entry);
  // The empty parts (no mark, no source, no other tag) drop out.
  item.description = [described, ...marks.shown, tags.map((tag) => `#${tag}`).join(' ')].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon(marks.icon);
  item.contextValue = sessionContextValue(summary, node.entry.sharing);
  item.command = { command: OPEN_SESSION_COMMAND, title: vscode.l10n.t('Open Session'), arguments: [node.ref] };
  const parts = [summary.title, ...marks.spoken, messageCount(summary.messageCount)];
  parts.push(vscode.l10n.t('last message {0}', relativeTime(summary.lastMessageAt, context.now)));
  if (summary.tags.length > 0) {
    parts.push(vscode.l10n.t('tags: {0}', summary.tags.join(', ')));
  }
  item.accessibilityInformation = { label: parts.filter(Boolean).join(', ') };
  return item;
}

/**
 * What marks a session: pinned, mirrored, imported from another tool. The icon shows the first of
 * them (or none); the description shows the sharing and the source, a screen reader says them all.
 */
function sessionMarks(entry: SessionNode['entry']): { icon: string; shown: (string | undefined)[]; spoken: (string | undefined)[] } {
  const pinned = entry.summary.pinned ? { mark: '', icon: 'pinned', spoken: vscode.l10n.t('pinned') } : undefined;
  const sharing = entry.sharing && sharingLook(entry.sharing);
  const imported = importLook(entry.summary.source);
  const marks = [pinned, sharing, imported].filter((mark) => mark !== undefined);
  return {
    icon: marks[0]?.icon ?? 'comment-discussion',
    shown: marks.map((mark) => mark.mark),
    spoken: marks.map((mark) => mark.spoken),
  };
}

function importLook(source: string): { mark: string; icon: string; spoken: string } | undefined {
  const look = importedLook(source);
  return look && { mark: look.label, icon: look.icon, spoken: vscode.l10n.t('imported from {0}', look.label) };
}

/**
 * `session`, `session.pinned`, with `.tagged` appended when it has tags, `.mirrored` when it is
 * shared through the team's Redis and `.imported` when it came from another tool (menus match
 * with regexes).
 */
export function sessionContextValue(summary: Pick<SessionSummary, 'pinned' | 'tags' | 'source'>, sharing?: ShareMode): string {
  const imported = importedLook(summary.source) ? '.imported' : '';
  return `session${summary.pinned ? '.pinned' : ''}${summary.tags.length > 0 ? '.tagged' : ''}${sharing ? '.mirrored' : ''}${imported}`;
}

/** How a mirrored session looks: its mark in the description, its icon, and what a screen reader says. */
function sharingLook(mode: ShareMode): { mark: string; icon: string; spoken: string } {
  return mode === 'shared'
    ? { mark: vscode.l10n.t('shared'), icon: 'cloud-upload', spoken: vscode.l10n.t('shared with the team') }
    : { mark: vscode.l10n.t('following'), icon: 'cloud-download', spoken: vscode.l10n.t("following a teammate's session") };
}

export function moreTreeItem(node: MoreNode, pageSize: number): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more…', Math.min(node.remaining, pageSize).toLocaleString('en-US')));
  item.id = treeItemId(node);
  item.description = vscode.l10n.t('{0} not shown', node.remaining.toLocaleString('en-US'));
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'more';
  item.command = { command: SHOW_MORE_COMMAND, title: vscode.l10n.t('Show More'), arguments: [node.parent.group.id] };
  return item;
}

/**
 * A preview of the session's last messages: plain text, with code blocks shown as code. Chat
 * content is untrusted, so text goes through appendText (escaped) and code into a fence no line of
 * it can close; no command links, HTML or theme icons are enabled.
 */
export function sessionTooltip(session: Session, context: ItemContext): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  tooltip.appendMarkdown('**').appendText(session.title).appendMarkdown('**\n\n');
  const details = [messageCount(session.messages.length), vscode.l10n.t('last message {0}', relativeTime(session.lastMessageAt, context.now))];
  const imported = importedLook(session.source);
  if (imported) {
    details.push(vscode.l10n.t('imported from {0}', imported.label));
  }
  if (session.tags.length > 0) {
    details.push(vscode.l10n.t('tags: {0}', session.tags.join(', ')));
  }
  tooltip.appendText(details.join(' · ')).appendMarkdown('\n\n---\n\n');
  const lines = previewMessages(session.messages);
  if (lines.length === 0) {
    tooltip.appendText(vscode.l10n.t('No messages yet.'));
  }
  for (const line of lines) {
    tooltip.appendMarkdown('**').appendText(line.role).appendMarkdown(':** ');
    if (line.blocks.length === 0) {
      tooltip.appendText(vscode.l10n.t('(empty)'));
    }
    line.blocks.forEach((block) => appendBlock(tooltip, block));
    tooltip.appendMarkdown('\n\n');
  }
  return tooltip;
}

function appendBlock(tooltip: vscode.MarkdownString, block: PreviewBlock): void {
  if (block.kind === 'text') {
    tooltip.appendText(block.text).appendMarkdown('\n\n');
    return;
  }
  // MarkdownString.appendCodeblock does not guard its fence: a run of backticks in the code would end it.
  const longestRun = Math.max(0, ...(block.code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  tooltip.appendMarkdown(`\n${fence}${block.language}\n${block.code}\n${fence}\n\n`);
}
