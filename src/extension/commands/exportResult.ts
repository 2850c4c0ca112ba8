import * as vscode from 'vscode';
import { Logger } from '../logger';
import { sessionCount } from '../tree/counts';

// What Export says when done: where the file went, with Open and a way to find it. "Reveal in OS" only where VS Code
// runs on the machine that holds the file (desktop, local file: revealFileInOS); in a browser or a remote window
// the file is on the server, so it is revealed in the Explorer view instead, when it lies in the workspace.

interface RevealAction {
  label: string;
  run: (target: vscode.Uri) => Thenable<unknown>;
}

const REVEAL_IN_OS_LABELS: Partial<Record<NodeJS.Platform, string>> = { win32: 'Reveal in File Explorer', darwin: 'Reveal in Finder' };

/** How this window can show where a file is, if it can. */
export function revealActionFor(target: vscode.Uri): RevealAction | undefined {
  const local = vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined && target.scheme === 'file';
  if (local) {
    const label = vscode.l10n.t(REVEAL_IN_OS_LABELS[process.platform] ?? 'Open Containing Folder');
    return { label, run: (uri) => vscode.commands.executeCommand('revealFileInOS', uri) };
  }
  if (vscode.workspace.getWorkspaceFolder(target)) {
    return { label: vscode.l10n.t('Reveal in Explorer View'), run: (uri) => vscode.commands.executeCommand('revealInExplorer', uri) };
  }
  return undefined;
}

/** "Multichat: exported 2 sessions to notes/fix-the-parser.md." with Open and Reveal; runs what the user picks. */
export async function showExported(logger: Logger, target: vscode.Uri, count: number): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = revealActionFor(target);
  const message = vscode.l10n.t('Multichat: exported {0} to {1}.', sessionCount(count), vscode.workspace.asRelativePath(target));
  const choice = await vscode.window.showInformationMessage(message, ...[open, ...(reveal ? [reveal.label] : [])]);
  try {
    if (choice === open) {
      await vscode.commands.executeCommand('vscode.open', target);
    } else if (reveal && choice === reveal.label) {
      await reveal.run(target);
    }
  } catch (error) {
    logger.error('commands', `could not show the export ${target.toString()}`, error);
    void vscode.window.showWarningMessage(vscode.l10n.t('Multichat could not show the exported file; it is at {0}.', target.fsPath || target.toString()));
  }
}
