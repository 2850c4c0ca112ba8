import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { titleSchema } from '../../core/model';
import { SessionRef } from '../sessionRef';
import { OPEN_SESSION_COMMAND } from '../tree/treeItems';
import { SessionCommandDeps } from './commandDeps';
import { CommandSpec, optionsArg, stringArg } from './commandRunner';
import { resolveFolder, resolveTargets } from './targets';

// New Session and Rename Session: the commands that ask for a title.

export interface NewSessionArgs {
  /** Folder URI (or name) to create in; asked in multi-root workspaces when missing. */
  folder: string;
  /** Skips the input box; empty leaves the session untitled: its first user message names it. */
  title: string;
  tags: string[];
  /** Open the new session in a chat tab (default true). */
  open: boolean;
}

/** undefined when the title is acceptable, else why not (for the input box). */
export function validateTitle(value: string): string | undefined {
  const result = titleSchema.safeParse(value);
  return result.success ? undefined : `The title ${result.error.issues[0]?.message ?? 'is not valid'}.`;
}

/** As validateTitle, but nothing at all is fine: the first message will name the session. */
function validateNewTitle(value: string): string | undefined {
  return value.trim() === '' ? undefined : validateTitle(value);
}

export function openSessionRef(ref: SessionRef): Thenable<unknown> {
  return vscode.commands.executeCommand(OPEN_SESSION_COMMAND, ref);
}

export function newSessionCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.newSession',
    failure: 'create the session',
    run: async (arg: unknown): Promise<SessionRef | undefined> => {
      const options = optionsArg<NewSessionArgs>(arg);
      const folder = await resolveFolder(deps.catalog, options.folder, 'Create the session in which folder?');
      if (folder === undefined) {
        return undefined;
      }
      const title = stringArg(options.title) ?? (await askNewTitle());
      if (title === undefined) {
        return undefined;
      }
      const given = title.trim() === '' ? undefined : title;
      const summary = await (await deps.catalog.storeFor(folder)).create({ title: given, tags: options.tags });
      const ref: SessionRef = { folder, sessionId: summary.id };
      deps.logger.info('commands', `created session ${summary.id} in ${folder}`);
      if (options.open !== false) {
        // The session exists now whatever happens to the tab, so say that rather than "could not create".
        await openSessionRef(ref).then(undefined, (error: unknown) => {
          deps.logger.error('commands', `created ${summary.id} but could not open it`, error);
          void vscode.window.showWarningMessage(`Multichat created "${summary.title}" but could not open it: ${describeError(error)}`);
        });
      }
      return ref;
    },
  };
}

/** The title typed, '' when left empty (the first message names the session), undefined when cancelled. */
function askNewTitle(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('New Session'),
    prompt: vscode.l10n.t('A title for the new chat session, or leave it empty to name it after your first message'),
    placeHolder: vscode.l10n.t('Named after your first message'),
    validateInput: validateNewTitle,
  });
}

export function renameSessionCommand(deps: SessionCommandDeps): CommandSpec {
  return {
    id: 'multichat.renameSession',
    failure: 'rename the session',
    run: async (...args: unknown[]) => {
      const [ref] = (await resolveTargets(deps.catalog, args, { placeHolder: 'Rename which session?' })) ?? [];
      if (!ref) {
        return undefined;
      }
      const current = deps.catalog.find(ref)?.summary.title;
      const title =
        stringArg(args[1]) ??
        (await vscode.window.showInputBox({
          title: 'Rename Session',
          prompt: 'The new title',
          value: current,
          validateInput: validateTitle,
        }));
      if (title === undefined || title === current) {
        return undefined;
      }
      return (await deps.catalog.storeFor(ref.folder)).update(ref.sessionId, { title });
    },
  };
}
