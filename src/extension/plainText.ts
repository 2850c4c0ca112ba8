import { describeError } from '../core/errors';

/**
 * Error text as a sentence, for notices and notifications that go on after it:
 * "could not write to …: the disk is full (ENOSPC)." Pure (no vscode), for the chat turn's tests.
 */
export function asSentence(text: string): string {
  const trimmed = text.trim() || 'unknown error';
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function errorSentence(error: unknown): string {
  return asSentence(describeError(error));
}
