import * as vscode from 'vscode';

// Counts in words for what the user reads, with the plural chosen per count and every form a
// whole string for translators (vscode.l10n has no plural rules of its own: a language with
// more forms translates each message to fit).

function formatted(count: number): string {
  try {
    return count.toLocaleString(vscode.env.language);
  } catch {
    return count.toLocaleString('en-US'); // a display language Intl does not know
  }
}

export function sessionCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 session') : vscode.l10n.t('{0} sessions', formatted(count));
}

export function messageCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 message') : vscode.l10n.t('{0} messages', formatted(count));
}

export function matchCount(count: number): string {
  return count === 1 ? vscode.l10n.t('1 match') : vscode.l10n.t('{0} matches', formatted(count));
}
