import { SessionSummary, compareSummaries } from '../../core/model';
import type { ShareMode } from '../../stores/shared/sharingRecords';
import { ViewFilters, matchesFilters } from './sessionSources';

// How the Sessions tree groups summaries: by date bucket (Pinned, Today, Yesterday, Previous
// 7 days, Older) or by tag (Pinned, then each tag). Pure and free of `vscode` so it is
// unit-tested in plain Node.

/** A workspace folder as the tree needs it; plain strings keep this file free of `vscode`. */
export interface FolderInfo {
  /** The folder's URI as a string, as in SessionRef.folder. */
  uri: string;
  name: string;
}

export interface SessionEntry {
  folder: FolderInfo;
  summary: SessionSummary;
  /** Mirrored through the team's Redis: shared from this folder, or followed from a teammate. */
  sharing?: ShareMode;
}

export type GroupMode = 'date' | 'tag';

export interface SessionGroup {
  /**
   * Stable across refreshes, filters and regrouping (a filter does not change it), so the tree
   * and the remembered expanded state (viewState) follow the group.
   */
  id: string;
  label: string;
  /** Set for tag groups (undefined for "Untagged" and date groups). */
  tag?: string;
  entries: SessionEntry[];
  /** How the group starts out; the user's own toggling, remembered per group id, wins afterwards. */
  expanded: boolean;
}

export interface GroupOptions extends ViewFilters {
  now: Date;
  mode: GroupMode;
}

type DateBucket = 'pinned' | 'today' | 'yesterday' | 'week' | 'older';

const DATE_GROUPS: readonly { bucket: DateBucket; label: string; expanded: boolean }[] = [
  { bucket: 'pinned', label: 'Pinned', expanded: true },
  { bucket: 'today', label: 'Today', expanded: true },
  { bucket: 'yesterday', label: 'Yesterday', expanded: true },
  { bucket: 'week', label: 'Previous 7 days', expanded: false },
  { bucket: 'older', label: 'Older', expanded: false },
];

export const UNTAGGED_GROUP_ID = 'untagged';
/** One id in both modes: expanding Pinned once holds when the tree is regrouped. */
export const PINNED_GROUP_ID = 'pinned';

export function groupSessions(entries: readonly SessionEntry[], options: GroupOptions): SessionGroup[] {
  const tags = options.tagFilters ?? [];
  // Several tags (or sources) widen the filter (any of them), as facets of one kind do in a search
  // filter; the two kinds narrow it (both must match).
  const filtered = tags.length > 0 || (options.sourceFilters ?? []).length > 0;
  const visible = filtered ? entries.filter((entry) => matchesFilters(entry.summary, options)) : entries;
  return options.mode === 'tag' ? groupByTag(visible, tags) : groupByDate(visible, options.now);
}

/** Local midnights bounding Today, Yesterday and the 7 days before; `new Date(y, m, d - n)` is DST-safe. */
export function dateBoundaries(now: Date): { today: number; yesterday: number; week: number } {
  const [year, month, day] = [now.getFullYear(), now.getMonth(), now.getDate()];
  return {
    today: new Date(year, month, day).getTime(),
    yesterday: new Date(year, month, day - 1).getTime(),
    week: new Date(year, month, day - 8).getTime(),
  };
}

function dateBucket(summary: SessionSummary, bounds: ReturnType<typeof dateBoundaries>): DateBucket {
  if (summary.pinned) {
    return 'pinned';
  }
  const time = Date.parse(summary.lastMessageAt);
  if (Number.isNaN(time)) {
    return 'older';
  }
  // A timestamp from the future (another machine's clock) counts as today.
  if (time >= bounds.today) {
    return 'today';
  }
  if (time >= bounds.yesterday) {
    return 'yesterday';
  }
  return time >= bounds.week ? 'week' : 'older';
}

/** One pass over the (newest-first) entries; each bucket keeps that order. */
function groupByDate(entries: readonly SessionEntry[], now: Date): SessionGroup[] {
  const bounds = dateBoundaries(now);
  const buckets = new Map<DateBucket, SessionEntry[]>(DATE_GROUPS.map((group) => [group.bucket, []]));
  for (const entry of entries) {
    buckets.get(dateBucket(entry.summary, bounds))?.push(entry);
  }
  return DATE_GROUPS.map((group) => ({
    id: group.bucket === 'pinned' ? PINNED_GROUP_ID : `date:${group.bucket}`,
    label: group.label,
    entries: buckets.get(group.bucket) ?? [],
    expanded: group.expanded,
  })).filter((group) => group.entries.length > 0);
}

/**
 * Pinned first (as in date mode), then a session under each of its tags (only the filtered tags
 * when filtering), pinned sessions leading each group, untagged last.
 */
function groupByTag(entries: readonly SessionEntry[], tagFilters: readonly string[]): SessionGroup[] {
  const byTag = new Map<string, PinnedFirst>();
  const untagged = new PinnedFirst();
  const pinned = entries.filter((entry) => entry.summary.pinned);
  for (const entry of entries) {
    if (entry.summary.tags.length === 0) {
      untagged.add(entry);
    }
    for (const tag of entry.summary.tags.filter((each) => tagFilters.length === 0 || tagFilters.includes(each))) {
      let list = byTag.get(tag);
      if (!list) {
        list = new PinnedFirst();
        byTag.set(tag, list);
      }
      list.add(entry);
    }
  }
  const groups: SessionGroup[] = [...byTag.entries()]
    .sort(([a], [b]) => compareTags(a, b))
    .map(([tag, list]) => ({ id: `tag:${tag}`, label: tag, tag, entries: list.entries(), expanded: false }));
  if (untagged.size > 0) {
    groups.push({ id: UNTAGGED_GROUP_ID, label: 'Untagged', entries: untagged.entries(), expanded: false });
  }
  if (groups.length === 1) {
    groups[0].expanded = true;
  }
  return pinned.length > 0 ? [{ id: PINNED_GROUP_ID, label: 'Pinned', entries: pinned, expanded: true }, ...groups] : groups;
}

/** Keeps arrival order, pinned entries first. */
class PinnedFirst {
  private readonly pinned: SessionEntry[] = [];
  private readonly rest: SessionEntry[] = [];

  get size(): number {
    return this.pinned.length + this.rest.length;
  }

  add(entry: SessionEntry): void {
    (entry.summary.pinned ? this.pinned : this.rest).push(entry);
  }

  entries(): SessionEntry[] {
    return [...this.pinned, ...this.rest];
  }
}

export function compareTags(a: string, b: string): number {
  return a.localeCompare(b, undefined, { sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface TagCount {
  tag: string;
  count: number;
}

/** Every tag in use with how many sessions carry it, sorted by name. */
export function collectTags(summaries: Iterable<Pick<SessionSummary, 'tags'>>): TagCount[] {
  const counts = new Map<string, number>();
  for (const summary of summaries) {
    for (const tag of summary.tags) {
      counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort(([a], [b]) => compareTags(a, b)).map(([tag, count]) => ({ tag, count }));
}

/** Merges each folder's newest-first list into one newest-first list. */
export function mergeNewestFirst(lists: readonly (readonly SessionEntry[])[]): SessionEntry[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length <= 1) {
    return [...(nonEmpty[0] ?? [])];
  }
  return nonEmpty.flat().sort((a, b) => compareSummaries(a.summary, b.summary) || a.folder.uri.localeCompare(b.folder.uri));
}

/**
 * Whether two lists would draw the same tree: same sessions in the same order with the same
 * shown fields. Lets a reload that changed nothing visible (a streamed reply being rewritten,
 * say) skip redrawing the tree.
 */
export function sameSummaries(a: readonly SessionSummary[], b: readonly SessionSummary[]): boolean {
  return a.length === b.length && a.every((summary, index) => sameSummary(summary, b[index]));
}

function sameSummary(a: SessionSummary, b: SessionSummary): boolean {
  return (
    a.id === b.id &&
    a.lastMessageAt === b.lastMessageAt &&
    a.title === b.title &&
    a.messageCount === b.messageCount &&
    a.pinned === b.pinned &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, index) => tag === b.tags[index])
  );
}
