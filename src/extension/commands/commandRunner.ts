import * as vscode from 'vscode';
import { invalidInput } from '../../core/errors';
import { Logger } from '../logger';
import { asSentence } from '../plainText';
import { reasonForUser } from '../userErrors';

const COMPONENT = 'commands';

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;

export interface CommandSpec {
  id: string;
  /** What failed, for the error message: "rename the session". */
  failure: string;
  run: CommandHandler;
}

/**
 * Registers a command behind the error boundary (every Multichat command goes through here): a failure is logged with its details and shown
 * once, in plain words (never a raw VS Code or Node error: see reasonForUser), with a way to the log, and handed to `onFailure`. The handler's result is returned to callers
 * (scripts and tests); a failed command returns undefined.
 */
export function registerCommandSpec(logger: Logger, spec: CommandSpec, onFailure?: (error: unknown) => void): vscode.Disposable {
  return vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
    try {
      return await spec.run(...args);
    } catch (error) {
      logger.error(COMPONENT, `${spec.id} failed`, error);
      onFailure?.(error);
      void showWithLog(logger, 'error', `Multichat could not ${spec.failure}: ${asSentence(reasonForUser(error))}`);
      return undefined;
    }
  });
}

/** An error or warning the user sees once, with a way to the log that has the details. */
export async function showWithLog(logger: Logger, severity: 'error' | 'warning', message: string): Promise<void> {
  const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  if ((await show(message, 'Show Log')) === 'Show Log') {
    logger.show();
  }
}

/** Narrows an untyped command argument to a plain options object. */
export function optionsArg<T extends object>(value: unknown): Partial<T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

export function stringArg(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A filter command's argument: null or '' clears (none), a name or a list of names sets it, anything
 * else asks (undefined). A list holding other than names is refused with `problem`.
 */
export function namesArg(value: unknown, problem: string): string[] | undefined {
  if (value === null || value === '') {
    return [];
  }
  if (Array.isArray(value)) {
    const names = value.filter((name): name is string => typeof name === 'string' && name.length > 0);
    if (names.length !== value.length) {
      throw invalidInput(problem);
    }
    return names;
  }
  const name = stringArg(value);
  return name === undefined ? undefined : [name];
}

/** A Uri, a URI string ("file:///…", "vscode-remote://…") or a plain file path. */
export function uriArg(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) {
    return value;
  }
  if (typeof value !== 'string' || value.length === 0) {
    return undefined;
  }
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value);
}
