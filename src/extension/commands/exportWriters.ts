// Where an export's text goes: a local file streamed and replaced atomically, or a folder of one
// file per session; other file systems (a remote, a virtual workspace) take whole files.
import * as vscode from 'vscode';
import { Session } from '../../core/model';
import { exportToFolder, exportFileName } from '../../interop/exportFiles';
import { renderExport } from '../../interop/exportRender';
import { StreamExportOptions, exportToFile, streamExport } from '../../interop/exportStream';

/** Local files are written as a stream and replaced atomically; other file systems take whole files. */
export async function writeExport(target: vscode.Uri, sessions: AsyncIterable<Session>, options: StreamExportOptions): Promise<void> {
  if (target.scheme === 'file') {
    await exportToFile(target.fsPath, sessions, options);
    return;
  }
  const parts: string[] = [];
  await streamExport(sessions, { write: async (text) => void parts.push(text) }, options);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(parts.join('')));
}

/** One file per session into a folder; local folders through exportToFolder (each file atomically). */
export async function writeEach(folder: vscode.Uri, sessions: AsyncIterable<Session>, options: StreamExportOptions): Promise<void> {
  if (folder.scheme === 'file') {
    await exportToFolder(folder.fsPath, sessions, options);
    return;
  }
  for await (const session of sessions) {
    options.signal?.throwIfAborted();
    const file = vscode.Uri.joinPath(folder, exportFileName(session, options.format));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(renderExport([session], options.format)));
    options.onSession?.(1);
  }
}
