import * as vscode from 'vscode';
import { invalidInput } from '../../core/errors';
import { SessionSummary } from '../../core/model';
import { SessionRef } from '../sessionRef';
import { collectTags } from '../tree/grouping';
import { isGroupNode } from '../tree/nodes';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, namesArg, stringArg } from './commandRunner';
import { pickExistingTag, pickOrCreateTag, tagProblem } from './tagPicker';
import { resolveTargets } from './targets';
import { sessionCount } from '../tree/counts';

/** Add Tag, Remove Tag, Filter by Tag and Clear Tag Filter. */
export function addTagCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.addTag',
    failure: 'add the tag',
    run: async (...args: unknown[]) => {
      const refs = await resolveTargets(deps.catalog, args, { placeHolder: 'Tag which session?' });
      if (!refs) {
        return undefined;
      }
      const tag = stringArg(args[1])?.trim() ?? (await pickOrCreateTag(tagsNotOnAll(deps, refs), 'Pick a tag or type a new one'));
      if (tag === undefined) {
        return undefined;
      }
      const problem = tagProblem(tag);
      if (problem) {
        throw invalidInput(problem);
      }
      return updateEach(deps, refs, (summary) => (summary.tags.includes(tag) ? undefined : { addTags: [tag] }));
    },
  };
}

export function removeTagCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.removeTag',
    failure: 'remove the tag',
    run: async (...args: unknown[]) => {
      const refs = await resolveTargets(deps.catalog, args, {
        placeHolder: 'Remove a tag from which session?',
        filter: (entry) => entry.summary.tags.length > 0,
      });
      if (!refs) {
        return undefined;
      }
      const onTargets = collectTags(refs.map((ref) => deps.catalog.find(ref)?.summary ?? { tags: [] }));
      if (onTargets.length === 0 && stringArg(args[1]) === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Multichat: the session has no tags.'));
        return undefined;
      }
      const tag = stringArg(args[1]) ?? (await pickExistingTag(onTargets, 'Remove which tag?'));
      if (tag === undefined) {
        return undefined;
      }
      return updateEach(deps, refs, (summary) => (summary.tags.includes(tag) ? { removeTags: [tag] } : undefined));
    },
  };
}

/** Existing tags, less those every target already has. */
function tagsNotOnAll(deps: SessionCommandDeps, refs: SessionRef[]): ReturnType<typeof collectTags> {
  const targets = refs.map((ref) => deps.catalog.find(ref)?.summary.tags ?? []);
  return collectTags(deps.catalog.entries().map((entry) => entry.summary)).filter(({ tag }) => !targets.every((tags) => tags.includes(tag)));
}

async function updateEach(
  deps: SessionCommandDeps,
  refs: SessionRef[],
  patchFor: (summary: Pick<SessionSummary, 'tags'>) => { addTags?: string[]; removeTags?: string[] } | undefined,
): Promise<SessionSummary[]> {
  const updated: SessionSummary[] = [];
  for (const ref of refs) {
    // The cached summary may be a moment old; patching with the same tag twice is harmless anyway.
    const patch = patchFor(deps.catalog.find(ref)?.summary ?? { tags: [] });
    if (patch) {
      updated.push(await (await deps.catalog.storeFor(ref.folder)).update(ref.sessionId, patch));
    }
  }
  return updated;
}

export function filterByTagCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.filterByTag',
    failure: 'filter the sessions',
    // (tag) or ([tags]) from scripts, a tag group node from the tree (that tag alone), '' or null
    // to clear, nothing to pick several. Returns the tags the view is filtered by now.
    run: async (arg?: unknown) => {
      const chosen = filterArg(arg) ?? (await pickFilters(deps));
      if (chosen !== undefined) {
        await deps.state.setTagFilters(chosen);
      }
      return deps.state.tagFilters;
    },
  };
}

function filterArg(arg: unknown): string[] | undefined {
  if (isGroupNode(arg)) {
    return arg.group.tag === undefined ? undefined : [arg.group.tag];
  }
  return namesArg(arg, 'filter by tag takes tag names (strings)');
}

/** A multi-select of every tag in use, the current filter checked; undefined when dismissed. */
async function pickFilters(deps: SessionCommandDeps): Promise<string[] | undefined> {
  await deps.catalog.whenIdle();
  const tags = collectTags(deps.catalog.entries().map((entry) => entry.summary));
  const current = deps.state.tagFilters;
  // A filter on a tag no session has any more can still be unchecked.
  const offered = [...tags, ...current.filter((tag) => !tags.some((each) => each.tag === tag)).map((tag) => ({ tag, count: 0 }))];
  if (offered.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Multichat: no session has a tag yet. Add one with "Add Tag…".'));
    return undefined;
  }
  const items = offered.map(({ tag, count }) => ({
    label: tag,
    description: sessionCount(count),
    iconPath: new vscode.ThemeIcon('tag'),
    picked: current.includes(tag),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    placeHolder: vscode.l10n.t('Show the sessions with any of the checked tags (uncheck all to show every session)'),
  });
  return picked?.map((item) => item.label);
}

export function clearTagFilterCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.clearTagFilter',
    failure: 'clear the filter',
    run: async () => deps.state.setTagFilters([]),
  };
}
