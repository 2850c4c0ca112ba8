import * as vscode from 'vscode';
import { invalidInput } from '../../core/errors';
import { SessionSummary } from '../../core/model';
import { SessionRef } from '../sessionRef';
import { collectTags } from '../tree/grouping';
import { isGroupNode } from '../tree/nodes';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, stringArg } from './commandRunner';
import { pickExistingTag, pickOrCreateTag, tagProblem } from './tagPicker';
import { resolveTargets } from './targets';

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
        void vscode.window.showInformationMessage('Multichat: the session has no tags.');
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
    // (tag) from scripts, a tag group node from the tree, '' or null to clear, nothing to pick.
    run: async (arg?: unknown) => {
      const tag = isGroupNode(arg) ? arg.group.tag : arg === null ? '' : stringArg(arg);
      const chosen = tag ?? (await pickFilter(deps));
      if (chosen !== undefined) {
        await deps.state.setTagFilter(chosen === '' ? undefined : chosen);
      }
      return deps.state.tagFilter;
    },
  };
}

async function pickFilter(deps: SessionCommandDeps): Promise<string | undefined> {
  await deps.catalog.whenIdle();
  const tags = collectTags(deps.catalog.entries().map((entry) => entry.summary));
  const current = deps.state.tagFilter;
  const clear = current === undefined ? [] : [{ label: 'Show all sessions', tag: '', iconPath: new vscode.ThemeIcon('clear-all') }];
  const items = tags.map(({ tag, count }) => ({
    label: tag,
    tag,
    description: `${count}${tag === current ? ' · current filter' : ''}`,
    iconPath: new vscode.ThemeIcon('tag'),
  }));
  if (items.length === 0 && current === undefined) {
    void vscode.window.showInformationMessage('Multichat: no session has a tag yet. Add one with "Add Tag…".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick([...clear, ...items], { placeHolder: 'Show only the sessions with this tag' });
  return picked?.tag;
}

export function clearTagFilterCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.clearTagFilter',
    failure: 'clear the filter',
    run: async () => deps.state.setTagFilter(undefined),
  };
}
