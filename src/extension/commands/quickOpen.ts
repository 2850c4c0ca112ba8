import * as vscode from 'vscode';
import { Logger } from '../logger';
import { SessionRef } from '../sessionRef';
import { rankByFuzzy } from '../tree/fuzzy';
import { SessionCatalog } from '../tree/sessionCatalog';
import { SessionMatches, findMessages } from './searchAll';
import { SearchPickItem, messageRows, noMatchesRow, problemRows, searchPlaceholder, separator, sessionRows } from './searchItems';
import { SearchQuery, hasFilters, parseSearchQuery, summaryMatches, withinDates } from '../../core/searchQuery';

// The one session search, behind both Open Session and Search Sessions: as you type, titles
// matched at once from the cached lists (fuzzy, words in any order), then — once typing pauses —
// every matching message, under a separator per session. A newer query cancels the search under
// way. Nothing found keeps the picker open and says so. Picking a message opens its session
// scrolled to it.

const TITLE_LIMIT = 10;
const RECENT_LIMIT = 100;
const SEARCH_DELAY_MS = 150;

export interface SearchPickerOptions {
  title: string;
  initialQuery?: string;
}

/** A row as the workbench shows it, for the integration tests. */
export interface SearchPickerRow {
  label: string;
  separator: boolean;
  description?: string;
  ref?: SessionRef;
}

/** The open picker, for the integration tests (through the ExtensionMode.Test api only). */
export interface SearchPickerHandle {
  readonly value: string;
  readonly busy: boolean;
  rows(): SearchPickerRow[];
  /** Sets the text as typing would. */
  type(value: string): void;
  /** Resolves once no search is scheduled or running. */
  settled(): Promise<void>;
}

/** Knows the search picker that is open, if any. */
export class SearchPickers {
  private open: SearchPickerHandle | undefined;
  /** What the last picker held when it closed, for Search Sessions to start from. */
  lastValue: string | undefined;

  get current(): SearchPickerHandle | undefined {
    return this.open;
  }

  show(catalog: SessionCatalog, logger: Logger, options: SearchPickerOptions): Promise<SessionRef | undefined> {
    const picker = new SessionSearchPicker(catalog, logger, options);
    this.open = picker;
    return picker.show().finally(() => {
      this.lastValue = picker.value;
      if (this.open === picker) {
        this.open = undefined;
      }
    });
  }
}

class SessionSearchPicker implements SearchPickerHandle {
  private readonly quickPick = vscode.window.createQuickPick<SearchPickItem>();
  private readonly now = new Date();
  private readonly showFolder: boolean;
  private titleRows: SearchPickItem[] = [];
  private found: SessionMatches[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: { abort: AbortController; done: Promise<void> } | undefined;
  private lastValue: string | undefined;
  private hidden = false;

  constructor(
    private readonly catalog: SessionCatalog,
    private readonly logger: Logger,
    private readonly options: SearchPickerOptions,
  ) {
    this.showFolder = catalog.folders().length > 1;
    const quickPick = this.quickPick;
    quickPick.title = options.title;
    quickPick.placeholder = searchPlaceholder();
    // The rows come grouped and ranked from here. The quick pick's own sort (on by default) would
    // reorder them by its label match and drop every separator while text is typed; VS Code 1.100
    // honours turning it off (the quickPickSortByLabel proposal) though its typings do not list it.
    (quickPick as { sortByLabel?: boolean }).sortByLabel = false;
    // Its own matching still runs on the labels (every row is alwaysShow, so it hides none): that is
    // what highlights the typed text where a snippet or title holds it. Role and time are not matched.
    quickPick.matchOnDescription = false;
    quickPick.matchOnDetail = false;
  }

  get value(): string {
    return this.quickPick.value;
  }

  get busy(): boolean {
    return this.quickPick.busy;
  }

  rows(): SearchPickerRow[] {
    return this.quickPick.items.map((item) => ({
      label: item.label,
      separator: item.kind === vscode.QuickPickItemKind.Separator,
      description: item.description,
      ref: item.ref,
    }));
  }

  type(value: string): void {
    // The workbench reports the new text back through onDidChangeValue, as it does for keystrokes.
    this.quickPick.value = value;
  }

  async settled(): Promise<void> {
    while (!this.hidden && (this.lastValue !== this.quickPick.value || this.timer !== undefined || this.running !== undefined)) {
      await (this.running?.done ?? new Promise((resolve) => setTimeout(resolve, 20)));
    }
  }

  show(): Promise<SessionRef | undefined> {
    const quickPick = this.quickPick;
    return new Promise<SessionRef | undefined>((resolve) => {
      let picked: SessionRef | undefined;
      const listeners: vscode.Disposable[] = [
        quickPick.onDidChangeValue((value) => this.onValue(value)),
        quickPick.onDidAccept(() => {
          picked = quickPick.activeItems[0]?.ref;
          if (picked) {
            quickPick.hide();
          }
        }),
        quickPick.onDidHide(() => {
          this.hidden = true;
          this.cancel();
          for (const listener of listeners) {
            listener.dispose();
          }
          quickPick.dispose();
          resolve(picked);
        }),
      ];
      quickPick.value = this.options.initialQuery ?? '';
      this.onValue(quickPick.value);
      quickPick.show();
    });
  }

  private onValue(value: string): void {
    if (value === this.lastValue) {
      return;
    }
    this.lastValue = value;
    const query = parseSearchQuery(value);
    this.titleRows = this.matchTitles(query);
    this.cancel();
    if (query.words.length > 0) {
      this.quickPick.busy = true;
      this.timer = setTimeout(() => this.search(value, query), SEARCH_DELAY_MS);
    } else {
      this.found = undefined;
    }
    this.render(value, query);
  }

  /** Titles from the cached lists: fuzzy, in any word order; with no words, the sessions passing the filters, newest first. */
  private matchTitles(query: SearchQuery): SearchPickItem[] {
    const entries = this.catalog.entries().filter((entry) => summaryMatches(query, entry.summary) && withinDates(query, entry.summary.lastMessageAt));
    const matched =
      query.words.length === 0 ? entries.slice(0, RECENT_LIMIT) : rankByFuzzy(entries, query.words.join(' '), (entry) => entry.summary.title, TITLE_LIMIT);
    return sessionRows(matched, this.now, this.showFolder);
  }

  private search(value: string, query: SearchQuery): void {
    this.timer = undefined;
    const abort = new AbortController();
    const done = findMessages(this.catalog, this.logger, query, abort.signal)
      .catch((error: unknown): SessionMatches[] => {
        this.logger.error('search', 'the search failed', error);
        return [];
      })
      .then((found) => {
        if (!abort.signal.aborted && this.running?.abort === abort) {
          this.running = undefined;
          this.quickPick.busy = false;
          this.found = found;
          this.render(value, query);
        }
      });
    this.running = { abort, done };
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running?.abort.abort();
    this.running = undefined;
    this.quickPick.busy = false;
  }

  private render(value: string, query: SearchQuery): void {
    const messages = this.found ? messageRows(this.found, this.now, this.showFolder) : [];
    // Headed "Sessions" once there is something to tell them from; the recent list needs no heading.
    const titles = this.titleRows.length > 0 && query.words.length > 0 ? [separator(vscode.l10n.t('Sessions')), ...this.titleRows] : this.titleRows;
    const problems = problemRows(query.problems, query.roles.length > 0 && query.words.length === 0);
    this.quickPick.items = [...problems, ...titles, ...messages, ...(this.isEmpty(titles, messages, query) ? [noMatchesRow(value)] : [])];
  }

  /** Nothing found for what was typed, and no search still under way. */
  private isEmpty(titles: readonly SearchPickItem[], messages: readonly SearchPickItem[], query: SearchQuery): boolean {
    const searching = this.timer !== undefined || this.running !== undefined;
    return titles.length === 0 && messages.length === 0 && !searching && (query.words.length > 0 || hasFilters(query));
  }
}
