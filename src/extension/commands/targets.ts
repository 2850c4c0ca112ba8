import * as vscode from 'vscode';
import { MultichatError } from '../../core/errors';
import { SessionRef, isSessionRef } from '../sessionRef';
import { SessionEntry } from '../tree/grouping';
import { isSessionNode } from '../tree/nodes';
import { SessionCatalog } from '../tree/sessionCatalog';
import { describeSession } from '../tree/relativeTime';
import { messageCount } from '../tree/counts';

function toRef(value: unknown): SessionRef | undefined {
  if (isSessionNode(value)) {
    return value.ref;
  }
  return isSessionRef(value) ? { folder: value.folder, sessionId: value.sessionId } : undefined;
}

/**
 * Which sessions a command acts on. From a context menu VS Code passes (clicked node, selected
 * nodes); scripts pass a SessionRef or an array of them; from the palette nothing is passed (and
 * the caller lets the user pick). Each session once, though in tag groups it can be selected twice.
 */
export function refsFromArgs(first: unknown, second?: unknown): SessionRef[] {
  // A right-click inside a multi-selection passes the whole selection as the second argument.
  const items: unknown[] = Array.isArray(second) && second.includes(first) ? second : Array.isArray(first) ? first : [first];
  const unique = new Map<string, SessionRef>();
  for (const ref of items.map(toRef)) {
    if (ref) {
      unique.set(`${ref.folder}\n${ref.sessionId}`, ref);
    }
  }
  return [...unique.values()];
}

export interface SessionPickItem extends vscode.QuickPickItem {
  ref: SessionRef;
}

export function sessionPickItem(entry: SessionEntry, now: Date, showFolder: boolean): SessionPickItem {
  return {
    label: entry.summary.title,
    description: describeSession(entry.summary, now, showFolder ? entry.folder.name : undefined, messageCount),
    iconPath: new vscode.ThemeIcon(entry.summary.pinned ? 'pinned' : 'comment-discussion'),
    ref: { folder: entry.folder.uri, sessionId: entry.summary.id },
  };
}

export interface PickSessionsOptions {
  placeHolder: string;
  canPickMany?: boolean;
  /** Only offer these sessions. */
  filter?: (entry: SessionEntry) => boolean;
  /** With canPickMany: checked (and listed first) when the pick opens, e.g. the sessions selected in the tree. */
  preselected?: readonly SessionRef[];
  /** The pick's title, above its (short) placeholder. */
  title?: string;
}

/** A quick pick over the cached summaries; undefined when dismissed. */
export async function pickSessions(catalog: SessionCatalog, options: PickSessionsOptions): Promise<SessionRef[] | undefined> {
  await catalog.whenIdle();
  const entries = catalog.entries().filter(options.filter ?? (() => true));
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Multichat: there are no sessions to choose from.');
    return undefined;
  }
  const now = new Date();
  const showFolder = catalog.folders().length > 1;
  const items = entries.map((entry) => sessionPickItem(entry, now, showFolder));
  if (options.canPickMany) {
    return pickMany(items, options);
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: options.placeHolder, matchOnDescription: true });
  return picked && [picked.ref];
}

/** A multi-select pick where Enter with nothing checked takes the highlighted session, as users expect. */
function pickMany(items: SessionPickItem[], options: PickSessionsOptions): Promise<SessionRef[] | undefined> {
  const isPreselected = (item: SessionPickItem) => (options.preselected ?? []).some((ref) => ref.folder === item.ref.folder && ref.sessionId === item.ref.sessionId);
  const quickPick = vscode.window.createQuickPick<SessionPickItem>();
  quickPick.items = [...items.filter(isPreselected), ...items.filter((item) => !isPreselected(item))];
  quickPick.canSelectMany = true;
  quickPick.matchOnDescription = true;
  quickPick.title = options.title;
  quickPick.placeholder = options.placeHolder;
  quickPick.selectedItems = quickPick.items.filter(isPreselected);
  return new Promise((resolve) => {
    let picked: SessionRef[] | undefined;
    quickPick.onDidAccept(() => {
      const chosen = quickPick.selectedItems.length > 0 ? quickPick.selectedItems : quickPick.activeItems.slice(0, 1);
      picked = chosen.length > 0 ? chosen.map((item) => item.ref) : undefined;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(picked);
    });
    quickPick.show();
  });
}

/** The sessions named by the arguments, or picked by the user; undefined when the user backs out. */
export async function resolveTargets(catalog: SessionCatalog, args: unknown[], pick: PickSessionsOptions): Promise<SessionRef[] | undefined> {
  const refs = refsFromArgs(args[0], args[1]);
  return refs.length > 0 ? refs : pickSessions(catalog, pick);
}

/** The workspace folder to create or import into: the one folder, or the user's pick. */
export async function resolveFolder(catalog: SessionCatalog, folderArg: unknown, placeHolder: string): Promise<string | undefined> {
  const folders = catalog.folders();
  if (folders.length === 0) {
    throw new MultichatError('usage', 'open a folder first: sessions are kept with a workspace folder');
  }
  const wanted = typeof folderArg === 'string' ? folders.find((folder) => folder.uri === folderArg || folder.name === folderArg) : undefined;
  if (typeof folderArg === 'string' && !wanted) {
    throw new MultichatError('not-found', `no open workspace folder ${folderArg}`);
  }
  if (wanted || folders.length === 1) {
    return (wanted ?? folders[0]).uri;
  }
  const picked = await vscode.window.showQuickPick(
    folders.map((folder) => ({ label: folder.name, description: vscode.Uri.parse(folder.uri).fsPath, uri: folder.uri, iconPath: vscode.ThemeIcon.Folder })),
    { placeHolder },
  );
  return picked?.uri;
}
