import * as vscode from 'vscode';
import { Logger } from '../logger';
import { SessionRef } from '../sessionRef';
import { rankByFuzzy } from '../tree/fuzzy';
import { SessionCatalog } from '../tree/sessionCatalog';
import { HitPickItem, searchAllFolders, hitPickItem } from './searchAll';
import { SessionPickItem, sessionPickItem } from './targets';

// Open Session: fuzzy matching over the cached titles as you type, plus full-text hits from the
// stores once typing pauses. Picking a message hit opens the session scrolled to that message.

const TITLE_LIMIT = 200;
const SEARCH_LIMIT = 20;
const SEARCH_DELAY_MS = 200;

type OpenItem = SessionPickItem | HitPickItem | vscode.QuickPickItem;

export function showSessionQuickOpen(catalog: SessionCatalog, logger: Logger, initialQuery = ''): Promise<SessionRef | undefined> {
  const quickPick = vscode.window.createQuickPick<OpenItem>();
  const now = new Date();
  const showFolder = catalog.folders().length > 1;
  const entries = catalog.entries();
  let titleItems: OpenItem[] = [];
  let hitItems: OpenItem[] = [];
  let searchTimer: NodeJS.Timeout | undefined;
  let searchVersion = 0;
  // The search under way, abandoned as soon as the query changes: a big store's search is work.
  let running: AbortController | undefined;
  const cancelSearch = (): void => {
    clearTimeout(searchTimer);
    running?.abort();
    running = undefined;
    searchVersion++;
  };

  const render = (): void => {
    const separator: OpenItem[] = hitItems.length > 0 ? [{ label: 'Found in messages', kind: vscode.QuickPickItemKind.Separator }] : [];
    quickPick.items = [...titleItems, ...separator, ...hitItems];
  };
  const search = async (query: string, version: number): Promise<void> => {
    quickPick.busy = true;
    running = new AbortController();
    const found = await searchAllFolders(catalog, logger, query, SEARCH_LIMIT, running.signal);
    if (version === searchVersion) {
      // Title hits are already in the fuzzy list above.
      hitItems = found.filter((each) => each.ref.messageId !== undefined).map((each) => ({ ...hitPickItem(catalog, each, now), alwaysShow: true }));
      quickPick.busy = false;
      render();
    }
  };
  const onValue = (value: string): void => {
    // alwaysShow: the ranking here (any word order) is wider than the quick pick's own filter.
    titleItems = rankByFuzzy(entries, value, (entry) => entry.summary.title, TITLE_LIMIT).map((entry) => ({
      ...sessionPickItem(entry, now, showFolder),
      alwaysShow: true,
    }));
    hitItems = [];
    cancelSearch();
    const version = searchVersion;
    quickPick.busy = false;
    if (value.trim().length >= 2) {
      searchTimer = setTimeout(() => void search(value, version), SEARCH_DELAY_MS);
    }
    render();
  };

  quickPick.placeholder = 'Type to match session titles and search messages';
  quickPick.value = initialQuery;
  onValue(initialQuery);
  return new Promise<SessionRef | undefined>((resolve) => {
    let picked: SessionRef | undefined;
    quickPick.onDidChangeValue(onValue);
    quickPick.onDidAccept(() => {
      const item = quickPick.activeItems[0];
      if (item && 'ref' in item) {
        picked = item.ref;
        quickPick.hide();
      }
    });
    quickPick.onDidHide(() => {
      cancelSearch();
      quickPick.dispose();
      resolve(picked);
    });
    quickPick.show();
  });
}
