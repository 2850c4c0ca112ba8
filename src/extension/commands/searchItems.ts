import * as vscode from 'vscode';
import { SessionRef } from '../sessionRef';
import { matchCount } from '../tree/counts';
import { SessionEntry } from '../tree/grouping';
import { relativeTime } from '../tree/relativeTime';
import { SessionMatches } from './searchAll';
import { Role, SearchProblem } from '../../core/searchQuery';
import { sessionPickItem } from './targets';

// The rows of the search picker: sessions whose title matches, then each session found in
// messages as a separator with one row per matching message, and the rows that say why nothing
// is listed.

export interface SearchPickItem extends vscode.QuickPickItem {
  /** What accepting the row opens; rows without one (No matches, problems) keep the picker open. */
  ref?: SessionRef;
}

const ROLE_ICONS: Record<Role, string> = { user: 'account', assistant: 'hubot', system: 'gear' };

function roleName(role: Role): string {
  return role === 'user' ? vscode.l10n.t('You') : role === 'assistant' ? vscode.l10n.t('Assistant') : vscode.l10n.t('System');
}

export function separator(label: string): SearchPickItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

/** alwaysShow: this picker does its own matching (words in any order, filters), wider than the quick pick's own filter. */
export function sessionRows(entries: readonly SessionEntry[], now: Date, showFolder: boolean): SearchPickItem[] {
  return entries.map((entry) => ({ ...sessionPickItem(entry, now, showFolder), alwaysShow: true }));
}

/** One separator per session (its title), then a row per matching message: its text around the match, who wrote it, when. */
export function messageRows(found: readonly SessionMatches[], now: Date, showFolder: boolean): SearchPickItem[] {
  return found
    .filter((session) => session.messages.length > 0)
    .flatMap((session) => {
      const { summary, folder } = session.entry;
      const heading = [summary.title, showFolder ? folder.name : undefined, matchCount(session.total)].filter(Boolean).join(' · ');
      const rows: SearchPickItem[] = session.messages.map((message) => ({
        label: message.snippet || vscode.l10n.t('(empty)'),
        description: [roleName(message.role), relativeTime(message.createdAt, now)].filter(Boolean).join(' · '),
        iconPath: new vscode.ThemeIcon(ROLE_ICONS[message.role]),
        ref: message.ref,
        alwaysShow: true,
      }));
      if (session.firstUnlisted) {
        const more = session.total - session.messages.length;
        rows.push({
          label: vscode.l10n.t('{0} more in this session', matchCount(more)),
          description: vscode.l10n.t('opens the session at the next one'),
          iconPath: new vscode.ThemeIcon('ellipsis'),
          ref: session.firstUnlisted,
          alwaysShow: true,
        });
      }
      return [separator(heading), ...rows];
    });
}

export function noMatchesRow(query: string): SearchPickItem {
  return {
    label: vscode.l10n.t('No matches'),
    description: vscode.l10n.t('for "{0}" in titles or messages', query.trim()),
    iconPath: new vscode.ThemeIcon('search-stop'),
    alwaysShow: true,
  };
}

/** What was typed but cannot be used: unreadable filters, and a role filter with no word to look for. */
export function problemRows(problems: readonly SearchProblem[], roleWithoutWords: boolean): SearchPickItem[] {
  const rows = problems.map((problem) => ({ label: problemText(problem), iconPath: new vscode.ThemeIcon('warning'), alwaysShow: true }));
  if (roleWithoutWords) {
    rows.push({ label: vscode.l10n.t('role: picks messages: type a word to find them.'), iconPath: new vscode.ThemeIcon('info'), alwaysShow: true });
  }
  return rows;
}

function problemText({ token, kind }: SearchProblem): string {
  switch (kind) {
    case 'empty':
      return vscode.l10n.t('"{0}" needs a value, as in tag:ci, role:user or after:2026-11-01.', token);
    case 'role':
      return vscode.l10n.t('"{0}" is not a role: use role:user, role:assistant or role:system.', token);
    case 'date':
      return vscode.l10n.t('"{0}" is not a date: write the day as year-month-day, as in after:2026-11-01.', token);
  }
}

export function searchPlaceholder(): string {
  return vscode.l10n.t('Search titles and messages. Filters: tag:name, source:copilot, role:user|assistant|system, after:YYYY-MM-DD, before:YYYY-MM-DD');
}
