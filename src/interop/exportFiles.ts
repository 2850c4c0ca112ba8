// An export as one file per session, into a folder: `<title-slug>-<id>.md` (or `.json`, a bundle
// of that one session, which re-imports as it was). Each file is replaced atomically, so a full
// disk midway leaves whole files only; the id in the name keeps two sessions of the same title
// apart and makes a second export overwrite the first one's files instead of adding new ones.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from '../core/model';
import { replaceFileAtomically } from '../stores/fs/atomicFile';
import { ExportFormat, renderExport } from './exportRender';

/** A file-name-safe form of a title: letters and digits joined by dashes, at most 60 characters. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** The file name a session gets in a per-session export. */
export function exportFileName(session: Pick<Session, 'id' | 'title'>, format: ExportFormat): string {
  const slug = slugify(session.title);
  return `${slug ? `${slug}-` : ''}${session.id}.${format === 'json' ? 'json' : 'md'}`;
}

export interface FolderExportOptions {
  format: ExportFormat;
  onSession?: (done: number) => void;
  signal?: AbortSignal;
}

/** Writes each session to its own file in `folder` (made if missing); resolves with the paths written. */
export async function exportToFolder(folder: string, sessions: AsyncIterable<Session>, options: FolderExportOptions): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for await (const session of sessions) {
    options.signal?.throwIfAborted();
    const path = join(folder, exportFileName(session, options.format));
    await replaceFileAtomically(path, renderExport([session], options.format));
    written.push(path);
    options.onSession?.(written.length);
  }
  return written;
}
