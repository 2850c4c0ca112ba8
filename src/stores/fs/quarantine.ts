import { linkSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from './atomicFile';
import { copyFileDurably } from './copyFile';
import { ensureDirectory } from './writeAccess';

// The quarantine folder beside a store keeps whatever was found corrupt, as
// `<name>.corrupt-<timestamp>`. Nothing there is ever overwritten — a name already taken gets a
// numeric suffix, and every placement is exclusive (link or copy that fails on an existing
// name), so two processes quarantining at once cannot clobber each other — and nothing found
// corrupt is ever deleted: it may still hold someone's words.

const MAX_SUFFIX = 1000;

/** Where a store in `directory` keeps what it found corrupt. */
export function quarantineFolderOf(directory: string): string {
  return join(directory, 'quarantine');
}

/** Copies `source` into `folder`; returns the copy's path. */
export function copyToQuarantine(folder: string, source: string): string {
  return placeInQuarantine(folder, source, (target) => copyFileDurably(source, target));
}

/** Moves `source` into `folder` (it leaves the store); returns its new path. */
export function moveToQuarantine(folder: string, source: string): string {
  const target = placeInQuarantine(folder, source, (place) => moveExclusively(source, place));
  syncDirectory(dirname(source));
  return target;
}

function placeInQuarantine(folder: string, source: string, place: (target: string) => void): string {
  ensureDirectory(folder);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let suffix = 0; suffix < MAX_SUFFIX; suffix++) {
    const target = join(folder, `${basename(source)}.corrupt-${stamp}${suffix === 0 ? '' : `-${suffix}`}`);
    try {
      place(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        continue;
      }
      throw error;
    }
    syncDirectory(folder);
    return target;
  }
  throw new Error(`could not find a free name in ${folder} for ${basename(source)}`);
}

/** link + unlink never replaces an existing file, unlike rename. */
function moveExclusively(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      // No hard links here: the timestamped name was free a moment ago; fall back to rename.
      renameSync(source, target);
      return;
    }
    throw error;
  }
  unlinkSync(source);
}
