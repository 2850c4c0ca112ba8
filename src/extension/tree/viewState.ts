import * as vscode from 'vscode';
import { GroupMode } from './grouping';
import { DisposableObject } from '../lifecycle';

/** Context keys the menus and welcome views of package.json key on. */
export const CONTEXT_KEYS = {
  groupByTag: 'multichat.sessions.groupByTag',
  filtered: 'multichat.sessions.filtered',
  /** 'loading' | 'empty' | 'filteredEmpty' | 'error' | 'ready' */
  state: 'multichat.sessions.state',
} as const;

export type ViewStatus = 'loading' | 'empty' | 'filteredEmpty' | 'error' | 'ready';

const GROUP_MODE_KEY = 'multichat.sessions.groupMode';
const TAG_FILTER_KEY = 'multichat.sessions.tagFilter';

/**
 * How the user set up the Sessions view — group by date or tag, and an optional tag filter —
 * remembered per workspace and mirrored into context keys for the title-bar toggles.
 */
export class SessionsViewState extends DisposableObject {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
  }

  get groupMode(): GroupMode {
    return this.memento.get<GroupMode>(GROUP_MODE_KEY) === 'tag' ? 'tag' : 'date';
  }

  get tagFilter(): string | undefined {
    return this.memento.get<string>(TAG_FILTER_KEY) || undefined;
  }

  async setGroupMode(mode: GroupMode): Promise<void> {
    await this.memento.update(GROUP_MODE_KEY, mode);
    await this.changed();
  }

  async setTagFilter(tag: string | undefined): Promise<void> {
    await this.memento.update(TAG_FILTER_KEY, tag);
    await this.changed();
  }

  async publishContextKeys(): Promise<void> {
    await setContext(CONTEXT_KEYS.groupByTag, this.groupMode === 'tag');
    await setContext(CONTEXT_KEYS.filtered, this.tagFilter !== undefined);
  }

  private async changed(): Promise<void> {
    await this.publishContextKeys();
    this._onDidChange.fire();
  }
}

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
