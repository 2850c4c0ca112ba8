import * as vscode from 'vscode';
import { tagSchema } from '../../core/model';
import { TagCount } from '../tree/grouping';
import { sessionCount } from '../tree/counts';

// A quick pick of existing tags that also offers to create the tag being typed. Invalid new tags
// are shown with the reason and cannot be accepted.

interface TagItem extends vscode.QuickPickItem {
  tag: string;
  invalid?: string;
}

export function tagProblem(tag: string): string | undefined {
  const result = tagSchema.safeParse(tag);
  return result.success ? undefined : `A tag ${result.error.issues[0]?.message ?? 'is not valid'}.`;
}

export function pickOrCreateTag(existing: readonly TagCount[], placeHolder: string): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<TagItem>();
  const existingItems: TagItem[] = existing.map(({ tag, count }) => ({
    label: tag,
    tag,
    description: sessionCount(count),
    iconPath: new vscode.ThemeIcon('tag'),
  }));
  quickPick.placeholder = placeHolder;
  quickPick.items = existingItems;
  return new Promise<string | undefined>((resolve) => {
    let result: string | undefined;
    quickPick.onDidChangeValue((value) => {
      const tag = value.trim();
      const isKnown = existing.some((each) => each.tag === tag);
      quickPick.items = tag.length === 0 || isKnown ? existingItems : [newTagItem(tag), ...existingItems];
    });
    quickPick.onDidAccept(() => {
      const picked = quickPick.activeItems[0];
      if (picked && !picked.invalid) {
        result = picked.tag;
        quickPick.hide();
      }
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(result);
    });
    quickPick.show();
  });
}

function newTagItem(tag: string): TagItem {
  const invalid = tagProblem(tag);
  return {
    label: tag,
    tag,
    invalid,
    description: invalid ?? vscode.l10n.t('new tag'),
    iconPath: new vscode.ThemeIcon(invalid ? 'warning' : 'add'),
    alwaysShow: true,
  };
}

/** A plain pick among given tags (for Remove Tag). */
export async function pickExistingTag(tags: readonly TagCount[], placeHolder: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    tags.map(({ tag, count }) => ({ label: tag, description: sessionCount(count), iconPath: new vscode.ThemeIcon('tag') })),
    { placeHolder },
  );
  return picked?.label;
}
