// Small file-system looks that discovery makes: what a path is, the names in a folder, and the
// first bytes of a file. Each treats "not there" or "cannot read" as nothing to find, since
// discovery only proposes; reading the unit is where a problem is reported.
import { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';

export type PathKind = 'file' | 'folder' | 'none';

export async function pathKind(path: string): Promise<PathKind> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ? 'file' : stats?.isDirectory() ? 'folder' : 'none';
}

/** The entries of a folder, sorted by name (so units come in a stable order); none when unreadable. */
export async function folderEntries(path: string): Promise<Dirent[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Up to `bytes` from the start of a file, as text; empty when it cannot be read. */
export async function peekText(path: string, bytes = 4096): Promise<string> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) {
    return '';
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
