import * as vscode from 'vscode';
import { GroupMode } from './grouping';
import { DisposableObject } from '../lifecycle';

/** Context keys the menus and welcome views of package.json key on. */
export const CONTEXT_KEYS = {
  groupByTag: 'multichat.sessions.groupByTag',
  filtered: 'multichat.sessions.filtered',
  sourceFiltered: 'multichat.sessions.sourceFiltered',
  /** 'loading' | 'empty' | 'filteredEmpty' | 'error' | 'ready' */
  state: 'multichat.sessions.state',
} as const;

export type ViewStatus = 'loading' | 'empty' | 'filteredEmpty' | 'error' | 'ready';

const GROUP_MODE_KEY = 'multichat.sessions.groupMode';
/** A string (one tag) before several tags could be picked; read either way. */
const TAG_FILTER_KEY = 'multichat.sessions.tagFilter';
const SOURCE_FILTER_KEY = 'multichat.sessions.sourceFilter';
const EXPANDED_KEY = 'multichat.sessions.expandedGroups';

/**
 * How the user set up the Sessions view — group by date or tag, the tags and sources it is filtered by, and
 * which groups they expanded or collapsed — remembered per workspace and mirrored into context
 * keys for the title-bar toggles.
 */
export class SessionsViewState extends DisposableObject {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  /** Fires when the grouping or the filter changed (not for expanding a group: the tree did that). */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
  }

  get groupMode(): GroupMode {
    return this.memento.get<GroupMode>(GROUP_MODE_KEY) === 'tag' ? 'tag' : 'date';
  }

  /** The tags the view is filtered by (sessions with any of them show); empty when not filtered. */
  get tagFilters(): string[] {
    const stored = this.memento.get<unknown>(TAG_FILTER_KEY);
    const tags = Array.isArray(stored) ? stored : [stored];
    return tags.filter((tag): tag is string => typeof tag === 'string' && tag.length > 0);
  }

  /** The sources the view is filtered by (sessions from any of them show); empty when not filtered. */
  get sourceFilters(): string[] {
    const stored = this.memento.get<unknown>(SOURCE_FILTER_KEY);
    return Array.isArray(stored) ? stored.filter((source): source is string => typeof source === 'string' && source.length > 0) : [];
  }

  /** The user's own choice for a group, or undefined when they never toggled it. */
  groupExpanded(groupId: string): boolean | undefined {
    return this.memento.get<Record<string, boolean>>(EXPANDED_KEY, {})[groupId];
  }

  async setGroupMode(mode: GroupMode): Promise<void> {
    await this.memento.update(GROUP_MODE_KEY, mode);
    await this.changed();
  }

  async setTagFilters(tags: readonly string[]): Promise<void> {
    await this.memento.update(TAG_FILTER_KEY, tags.length === 0 ? undefined : [...new Set(tags)]);
    await this.changed();
  }

  async setSourceFilters(sources: readonly string[]): Promise<void> {
    await this.memento.update(SOURCE_FILTER_KEY, sources.length === 0 ? undefined : [...new Set(sources)]);
    await this.changed();
  }

  /** Remembers an expand or collapse so the group comes back that way after filtering, regrouping or a reload. */
  async setGroupExpanded(groupId: string, expanded: boolean): Promise<void> {
    const all = this.memento.get<Record<string, boolean>>(EXPANDED_KEY, {});
    if (all[groupId] !== expanded) {
      await this.memento.update(EXPANDED_KEY, { ...all, [groupId]: expanded });
    }
  }

  async publishContextKeys(): Promise<void> {
    await setContext(CONTEXT_KEYS.groupByTag, this.groupMode === 'tag');
    await setContext(CONTEXT_KEYS.filtered, this.tagFilters.length > 0);
    await setContext(CONTEXT_KEYS.sourceFiltered, this.sourceFilters.length > 0);
  }

  private async changed(): Promise<void> {
    await this.publishContextKeys();
    this._onDidChange.fire();
  }
}

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
