import * as vscode from 'vscode';
import { AccessWatchWhileVisible, StoreAccessMonitor } from '../health/storeAccessMonitor';
import { DisposableObject } from '../lifecycle';
import { SessionsNode, isGroupNode } from './nodes';
import { matchesFilters, sourceLabel } from './sessionSources';
import { SessionCatalog } from './sessionCatalog';
import { SessionsTreeProvider } from './sessionsTreeProvider';
import { CONTEXT_KEYS, SessionsViewState, ViewStatus, setContext } from './viewState';

/** Relative times ("3m ago") and date groups go stale; redraw this often while the view is visible. */
const CLOCK_REFRESH_MS = 60_000;

/**
 * Keeps the Sessions view in step: redraws the tree when the lists or the view settings change,
 * and sets what surrounds it — the status context key the welcome views key on, the filters in
 * the view's description, and a message when a folder's store could not be opened or is read-only.
 */
export class SessionsViewController extends DisposableObject {
  private lastDrawn = Date.now();

  constructor(
    private readonly catalog: SessionCatalog,
    private readonly state: SessionsViewState,
    private readonly provider: SessionsTreeProvider,
    private readonly treeView: vscode.TreeView<SessionsNode>,
    private readonly access: StoreAccessMonitor,
  ) {
    super();
    this._register(catalog.onDidChange(() => this.redraw()));
    this._register(state.onDidChange(() => this.redraw()));
    // Remembered so a group comes back as the user left it after a filter, a regrouping or a reload.
    this._register(treeView.onDidExpandElement(({ element }) => this.rememberExpanded(element, true)));
    this._register(treeView.onDidCollapseElement(({ element }) => this.rememberExpanded(element, false)));
    // Only the text around the tree changes: no need to regroup it.
    this._register(access.onDidChange(() => this.updateMessage()));
    const accessWatch = this._register(new AccessWatchWhileVisible(access, () => treeView.visible));
    this._register(
      treeView.onDidChangeVisibility(({ visible }) => {
        catalog.setViewVisible(visible);
        accessWatch.update();
        if (visible && Date.now() - this.lastDrawn >= CLOCK_REFRESH_MS) {
          this.redraw();
        }
      }),
    );
    const clock = setInterval(() => {
      if (treeView.visible) {
        this.redraw();
      }
    }, CLOCK_REFRESH_MS);
    this._register({ dispose: () => clearInterval(clock) });
    catalog.setViewVisible(treeView.visible);
    void setContext(CONTEXT_KEYS.state, this.status());
  }

  status(): ViewStatus {
    if (!this.catalog.isLoaded) {
      return 'loading';
    }
    const entries = this.catalog.entries();
    if (entries.length === 0) {
      return this.catalog.failedFolders().length > 0 ? 'error' : 'empty';
    }
    const filters = { tagFilters: this.state.tagFilters, sourceFilters: this.state.sourceFilters };
    const filtered = filters.tagFilters.length > 0 || filters.sourceFilters.length > 0;
    return filtered && !entries.some((entry) => matchesFilters(entry.summary, filters)) ? 'filteredEmpty' : 'ready';
  }

  /** Shown above the tree: the active filter (the description alone is cut off in a narrow sidebar) and failures. */
  message(): string | undefined {
    const tags = this.state.tagFilters;
    const quoted = tags.map((tag) => `"${tag}"`);
    const filter =
      tags.length === 0
        ? undefined
        : tags.length === 1
          ? vscode.l10n.t('Showing only sessions tagged {0}.', quoted[0])
          : vscode.l10n.t('Showing only sessions tagged {0} or {1}.', quoted.slice(0, -1).join(', '), quoted[quoted.length - 1]);
    const failed = this.catalog.failedFolders().map((folder) => folder.name);
    const failure = failed.length === 0 ? undefined : `Could not open the session store of ${failed.join(', ')}. Run "Multichat: Show Log" for details.`;
    const readOnly = this.access
      .readOnlyFolders()
      .map((folder) => `The session store of ${folder.name} is read-only (${folder.reason}): you can read its sessions but not change them.`);
    return [filter, this.sourceMessage(), failure, ...readOnly].filter(Boolean).join(' ') || undefined;
  }

  description(): string | undefined {
    const tags = this.state.tagFilters;
    const sources = this.state.sourceFilters.map(sourceLabel);
    const tagPart = tags.length === 0 ? undefined : tags.length === 1 ? vscode.l10n.t('tag: {0}', tags[0]) : vscode.l10n.t('tags: {0}', tags.join(', '));
    const sourcePart = sources.length === 0 ? undefined : vscode.l10n.t('from: {0}', sources.join(', '));
    return [tagPart, sourcePart].filter(Boolean).join(' · ') || undefined;
  }

  private sourceMessage(): string | undefined {
    const sources = this.state.sourceFilters.map(sourceLabel);
    if (sources.length === 0) {
      return undefined;
    }
    return sources.length === 1
      ? vscode.l10n.t('Showing only sessions from {0}.', sources[0])
      : vscode.l10n.t('Showing only sessions from {0} or {1}.', sources.slice(0, -1).join(', '), sources[sources.length - 1]);
  }

  private rememberExpanded(element: SessionsNode, expanded: boolean): void {
    if (isGroupNode(element)) {
      void this.state.setGroupExpanded(element.group.id, expanded);
    }
  }

  private redraw(): void {
    this.lastDrawn = Date.now();
    void setContext(CONTEXT_KEYS.state, this.status());
    this.updateMessage();
    this.provider.refresh();
  }

  private updateMessage(): void {
    this.treeView.description = this.description();
    this.treeView.message = this.message();
  }
}
