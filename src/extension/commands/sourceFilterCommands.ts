// Filter by Source and Clear Source Filter: the Sessions view shows only the sessions imported
// from the checked tools (or only Multichat's own), combined with the tag filter.
import * as vscode from 'vscode';
import { sessionCount } from '../tree/counts';
import { OWN_SOURCE, collectSources, importedLook, sourceLabel } from '../tree/sessionSources';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, namesArg } from './commandRunner';

export function filterBySourceCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.filterBySource',
    failure: 'filter the sessions',
    // (source) or ([sources]) from scripts, '' or null to clear, nothing to pick. Returns the
    // sources the view is filtered by now.
    run: async (arg?: unknown) => {
      const chosen = namesArg(arg, 'filter by source takes source names (strings), e.g. "copilot"') ?? (await pickSources(deps));
      if (chosen !== undefined) {
        await deps.state.setSourceFilters(chosen);
      }
      return deps.state.sourceFilters;
    },
  };
}

export function clearSourceFilterCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.clearSourceFilter',
    failure: 'clear the filter',
    run: async () => deps.state.setSourceFilters([]),
  };
}

/** A multi-select of every source in the sessions, with counts, the current filter checked. */
async function pickSources(deps: SessionCommandDeps): Promise<string[] | undefined> {
  await deps.catalog.whenIdle();
  const sources = collectSources(deps.catalog.entries().map((entry) => entry.summary));
  const current = deps.state.sourceFilters;
  // A filter on a source no session has any more can still be unchecked.
  const offered = [...sources, ...current.filter((source) => !sources.some((each) => each.source === source)).map((source) => ({ source, count: 0 }))];
  if (!offered.some(({ source }) => source !== OWN_SOURCE)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Multichat: no session was imported from another tool yet. Import some with "Import Sessions…".'));
    return undefined;
  }
  const items = offered.map(({ source, count }) => ({
    label: sourceLabel(source),
    description: source === OWN_SOURCE ? vscode.l10n.t('{0}, created here', sessionCount(count)) : sessionCount(count),
    iconPath: new vscode.ThemeIcon(importedLook(source)?.icon ?? 'comment-discussion'),
    picked: current.includes(source),
    source,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    placeHolder: vscode.l10n.t('Show the sessions from any of the checked sources (uncheck all to show every session)'),
  });
  return picked?.map((item) => item.source);
}
