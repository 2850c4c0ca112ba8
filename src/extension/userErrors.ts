import * as vscode from 'vscode';
import { isMultichatError } from '../core/errors';
import { describeIoCause } from '../stores/fs/ioErrors';

// What a user is told when something fails: Multichat's own errors say what happened in plain words; a file-system
// failure says its cause; anything else (an error from VS Code itself, such as a dialog it refused to show, or from
// a library) is never shown raw — it gets one clear sentence, and the log keeps its details.

const FILE_SYSTEM_CAUSES: Record<string, string> = {
  FileNotFound: 'the file does not exist',
  FileExists: 'the file already exists',
  FileNotADirectory: 'a part of its path is not a folder',
  FileIsADirectory: 'it is a folder',
  NoPermissions: 'permission denied',
  Unavailable: 'the file system is not available',
};

/** "the disk is full (ENOSPC)", "no such session: …", or a plain sentence for errors from VS Code and libraries. */
export function reasonForUser(error: unknown): string {
  if (isMultichatError(error)) {
    return error.message;
  }
  if (error instanceof vscode.FileSystemError) {
    return FILE_SYSTEM_CAUSES[error.code] ?? 'the file system reported an error (the log has the details)';
  }
  const cause = describeIoCause(error);
  if (/\(E[A-Z]+\)$/.test(cause)) {
    return cause;
  }
  return 'VS Code or a library it uses reported an unexpected error (the log has the details)';
}
