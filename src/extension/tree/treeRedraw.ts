// What a tree view has to redraw after its data changed. VS Code forgets the rows under whatever it
// is told to redraw (the whole tree, for a redraw of everything) until it has fetched them again, and
// a context-menu command run on a row it forgot in that gap receives no argument: Share Session on
// a row would open the session picker instead. So a live update (a teammate writing, a reply
// streaming in) redraws the rows that changed, in place; a group, only when its rows came, went or
// moved; the whole tree, only when the groups themselves did. Pure (no `vscode`), unit-tested in
// plain Node.

/** A row by its tree item id, with a digest of what it shows: undefined when VS Code has not drawn it. */
export interface DrawnRow {
  key: string;
  look?: string;
}

export interface DrawnGroup extends DrawnRow {
  /** Its rows, once they were built (a collapsed group's never are). */
  rows?: readonly DrawnRow[];
}

/** A tree item as far as its look goes: vscode.TreeItem fits it. */
export interface ItemShown {
  label?: string | { label: string };
  description?: string | boolean;
  contextValue?: string;
  iconPath?: unknown;
  tooltip?: unknown;
  accessibilityInformation?: { label: string };
}

/** What an item shows, as one string: two items that look alike need no redraw (a session's tooltip is resolved on hover). */
export function itemLook(item: ItemShown): string {
  const icon = typeof item.iconPath === 'object' && item.iconPath !== null && 'id' in item.iconPath ? item.iconPath.id : undefined;
  const label = typeof item.label === 'string' ? item.label : item.label?.label;
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : undefined;
  return JSON.stringify([label, item.description, item.contextValue, icon, tooltip, item.accessibilityInformation?.label]);
}

/**
 * The rows of a flat list to redraw in place: those drawn whose look changed. 'all' when rows came,
 * went or moved, which only redrawing their parent can show.
 */
export function changedRows(before: readonly DrawnRow[], after: readonly DrawnRow[]): 'all' | string[] {
  if (before.length !== after.length || before.some((row, index) => row.key !== after[index].key)) {
    return 'all';
  }
  return after.filter((row, index) => before[index].look !== undefined && before[index].look !== row.look).map((row) => row.key);
}

/** The groups (each with its rows) and the rows to redraw; 'all' for the whole tree; none when nothing shown changed. */
export function planRedraw(before: readonly DrawnGroup[], after: readonly DrawnGroup[]): 'all' | string[] {
  const groups = changedRows(before, after);
  if (groups === 'all') {
    return 'all';
  }
  const keys = [...groups];
  after.forEach((group, index) => {
    const was = before[index].rows;
    if (groups.includes(group.key) || !was) {
      return; // redrawn with its rows, or none of them ever drawn
    }
    const rows = group.rows ? changedRows(was, group.rows) : 'all';
    keys.push(...(rows === 'all' ? [group.key] : rows));
  });
  return keys;
}
